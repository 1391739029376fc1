package io.facestream.html;

import java.util.Base64;

/**
 * The few HTML pieces the self-contained reports (eval, replay) write alike: escaping text for
 * element content and attribute values, images inlined as base64 data URIs (so a report opens from
 * disk with no server or network), and table rows. Depends on nothing of the job, so any report
 * package can use it without a package cycle.
 */
public final class Html {
    private Html() {}

    /** {@code s} safe as element text and as a quoted attribute value. */
    public static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /**
     * An {@code <img>} of {@code data} inlined as a data URI of {@code mimeType}; {@code alt} is
     * escaped, {@code attributes} (such as {@code class="chart"}) go in as they are.
     */
    public static String img(String mimeType, byte[] data, String alt, String attributes) {
        return "<img "
                + (attributes.isEmpty() ? "" : attributes + " ")
                + "alt=\""
                + esc(alt)
                + "\" src=\"data:"
                + mimeType
                + ";base64,"
                + Base64.getEncoder().encodeToString(data)
                + "\">";
    }

    /** An inline JPEG {@code <img>} with an escaped {@code alt}. */
    public static String jpeg(byte[] jpeg, String alt) {
        return img("image/jpeg", jpeg, alt, "");
    }

    /** A table row of {@code cells}, each already HTML (escape text with {@link #esc} first). */
    public static String row(Object... cells) {
        StringBuilder b = new StringBuilder("<tr>");
        for (Object c : cells) {
            b.append("<td>").append(c).append("</td>");
        }
        return b.append("</tr>").toString();
    }
}
