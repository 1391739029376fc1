package io.facestream.gallery;

/**
 * One appearance of an unidentified person, as {@link UnknownRegistry#assign} takes it.
 *
 * @param camera camera id
 * @param trackId the track's id, unique per camera while the job runs
 * @param firstMillis event time the track was first seen (with camera and track id, the key that
 *     makes a repeated assignment of the same appearance idempotent)
 * @param lastMillis event time the track was last seen
 * @param embedderModel the model that produced {@code template}
 * @param template the track's template: the mean of its L2-normalised embeddings (need not be
 *     normalised again; the store compares directions)
 */
public record Sighting(
        String camera,
        long trackId,
        long firstMillis,
        long lastMillis,
        String embedderModel,
        float[] template) {

    /** The appearance's key: camera, track and first time (a re-run of a file is the same one). */
    public String key() {
        return camera + "#" + trackId + "#" + firstMillis;
    }
}
