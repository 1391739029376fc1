package io.facestream.gallery;

/**
 * The gallery's creation record is not in Redis: nothing was ever enrolled under that name, or the
 * server lost its data (restarted without persistence, flushed, failed over to an empty replica) or
 * the gallery was dropped. Searching then cannot tell anyone apart, so it fails with this exception
 * instead of answering "no match": callers that keep running (the streaming job) count and report
 * it separately from an unreachable server.
 */
public class GalleryMissingException extends GalleryException {
    private static final long serialVersionUID = 1L;

    private final String gallery;

    public GalleryMissingException(String gallery, String where) {
        super("gallery '" + gallery + "' does not exist at " + where + "; enrol faces first");
        this.gallery = gallery;
    }

    /** The name of the gallery that was looked for. */
    public String gallery() {
        return gallery;
    }
}
