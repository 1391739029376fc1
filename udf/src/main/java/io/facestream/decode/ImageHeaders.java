package io.facestream.decode;

import java.nio.charset.StandardCharsets;

/**
 * Reads the declared width and height from the headers of the formats OpenCV decodes but the JDK's
 * ImageIO cannot read: the Netpbm family (PBM, PGM, PPM {@code P1}–{@code P6}, PAM {@code P7}, PFM
 * {@code PF}/{@code Pf}), WebP (lossy {@code VP8 }, lossless {@code VP8L}, extended {@code VP8X}),
 * Sun raster and Radiance HDR. Without these the pixel limit would only be OpenCV's own (2^30
 * pixels), so a 60-byte PPM header could make the decoder allocate gigabytes. JPEG (its SOF
 * segment) and PNG (IHDR) are read here too, though ImageIO knows them: they are what every video
 * frame is, and ImageIO's reader lookup per frame costs more than the header walk.
 *
 * <p>Only the header is looked at (at most {@link #MAX_HEADER} bytes); nothing is decoded.
 */
final class ImageHeaders {
    /** Netpbm headers with long comments are legal; beyond this many bytes we give up. */
    static final int MAX_HEADER = 4096;

    private ImageHeaders() {}

    /**
     * {@code {width, height}} as the header declares them, or null when the bytes are not one of
     * these formats. A header of one of these formats that cannot be parsed is an {@link
     * ImageDecodeException}: OpenCV would otherwise be left to guess.
     */
    static long[] declaredSize(byte[] b, String source) {
        if (b.length >= 4 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) {
            return jpeg(b);
        }
        if (b.length >= 24
                && (b[0] & 0xff) == 0x89
                && ascii(b, 1, 3).equals("PNG")
                && ascii(b, 12, 4).equals("IHDR")) {
            return new long[] {be32(b, 16), be32(b, 20)};
        }
        // Netpbm wants whitespace after the magic; "Pfizer" is text, not a float map.
        if (b.length >= 3 && b[0] == 'P' && isNetpbmType(b[1]) && Character.isWhitespace(b[2])) {
            return b[1] == '7' ? pam(b, source) : netpbm(b, source);
        }
        if (b.length >= 16 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return webp(b, source);
        }
        if (b.length >= 12 && be32(b, 0) == 0x59a66a95L) {
            return new long[] {be32(b, 4), be32(b, 8)}; // Sun raster: magic, width, height
        }
        if (b.length >= 2 && b[0] == '#' && b[1] == '?') {
            return radiance(b, source);
        }
        return null;
    }

    /**
     * The frame size of a JPEG's first SOF segment (baseline, progressive, lossless or arithmetic),
     * found by walking the segments before the scan; null when there is none (OpenCV decides).
     */
    private static long[] jpeg(byte[] b) {
        int i = 2;
        while (i + 8 < b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return null; // scan or end before any frame header
            }
            boolean sof =
                    marker >= 0xC0
                            && marker <= 0xCF
                            && marker != 0xC4
                            && marker != 0xC8
                            && marker != 0xCC;
            if (sof) {
                // FF Cn, length (2), precision (1), height (2), width (2)
                long h = ((b[i + 5] & 0xff) << 8) | (b[i + 6] & 0xff);
                long w = ((b[i + 7] & 0xff) << 8) | (b[i + 8] & 0xff);
                return new long[] {w, h};
            }
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        }
        return null;
    }

    private static boolean isNetpbmType(byte t) {
        return (t >= '1' && t <= '7') || t == 'F' || t == 'f';
    }

    /** P1–P6 and PF/Pf: magic, then width and height as decimal tokens; '#' starts a comment. */
    private static long[] netpbm(byte[] b, String source) {
        int[] pos = {2};
        long w = token(b, pos, source);
        long h = token(b, pos, source);
        return new long[] {w, h};
    }

    /** P7: "WIDTH n" and "HEIGHT n" lines before "ENDHDR". */
    private static long[] pam(byte[] b, String source) {
        String header = ascii(b, 0, Math.min(b.length, MAX_HEADER));
        long w = -1;
        long h = -1;
        for (String line : header.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts[0].equals("ENDHDR")) {
                break;
            }
            if (parts.length == 2 && parts[0].equals("WIDTH")) {
                w = number(parts[1], source);
            } else if (parts.length == 2 && parts[0].equals("HEIGHT")) {
                h = number(parts[1], source);
            }
        }
        if (w < 0 || h < 0) {
            throw new ImageDecodeException(source, "PAM header without WIDTH and HEIGHT");
        }
        return new long[] {w, h};
    }

    private static long token(byte[] b, int[] pos, String source) {
        int i = pos[0];
        int end = Math.min(b.length, MAX_HEADER);
        while (i < end) {
            if (b[i] == '#') {
                while (i < end && b[i] != '\n' && b[i] != '\r') {
                    i++;
                }
            } else if (Character.isWhitespace(b[i])) {
                i++;
            } else {
                break;
            }
        }
        int start = i;
        while (i < end && b[i] >= '0' && b[i] <= '9' && i - start < 12) {
            i++;
        }
        if (i == start) {
            throw new ImageDecodeException(
                    source, "Netpbm header (P" + (char) b[1] + ") without a width and height");
        }
        pos[0] = i;
        return Long.parseLong(ascii(b, start, i - start));
    }

    private static long number(String s, String source) {
        if (!s.matches("[0-9]{1,12}")) {
            throw new ImageDecodeException(source, "PAM header with a bad size '" + s + "'");
        }
        return Long.parseLong(s);
    }

    /** RIFF "WEBP", then the first chunk: VP8, VP8L or VP8X, whose data starts at byte 20. */
    private static long[] webp(byte[] b, String source) {
        String chunk = ascii(b, 12, 4);
        switch (chunk) {
            case "VP8 " -> {
                // 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height (LE).
                if (b.length >= 30
                        && (b[23] & 0xff) == 0x9d
                        && (b[24] & 0xff) == 0x01
                        && (b[25] & 0xff) == 0x2a) {
                    return new long[] {le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff};
                }
            }
            case "VP8L" -> {
                // Signature 0x2f, then width-1 and height-1 in 14 bits each (LE bit order).
                if (b.length >= 25 && (b[20] & 0xff) == 0x2f) {
                    long bits = le16(b, 21) | ((long) le16(b, 23) << 16);
                    return new long[] {(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
                }
            }
            case "VP8X" -> {
                // 4 bytes of flags, then canvas width-1 and height-1 in 24 bits each (LE).
                if (b.length >= 30) {
                    return new long[] {le24(b, 24) + 1, le24(b, 27) + 1};
                }
            }
            default -> {
                // fall through to the error below
            }
        }
        throw new ImageDecodeException(
                source, "WebP header without a readable size (first chunk '" + chunk + "')");
    }

    /** Radiance HDR: "#?RADIANCE" lines, a blank line, then e.g. "-Y 480 +X 640". */
    private static long[] radiance(byte[] b, String source) {
        String header = ascii(b, 0, Math.min(b.length, MAX_HEADER));
        int blank = header.indexOf("\n\n");
        if (blank >= 0) {
            int end = header.indexOf('\n', blank + 2);
            String[] t = header.substring(blank + 2, end < 0 ? header.length() : end).split(" ");
            if (t.length == 4 && t[0].length() == 2 && t[2].length() == 2) {
                long first = number(t[1], source);
                long second = number(t[3], source);
                // "-Y h +X w" is the usual order; "+X w -Y h" swaps them.
                return t[0].endsWith("Y") ? new long[] {second, first} : new long[] {first, second};
            }
        }
        throw new ImageDecodeException(source, "Radiance HDR header without a readable size");
    }

    private static long be32(byte[] b, int at) {
        return ((long) (b[at] & 0xff) << 24)
                | ((b[at + 1] & 0xff) << 16)
                | ((b[at + 2] & 0xff) << 8)
                | (b[at + 3] & 0xff);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
    }

    private static long le24(byte[] b, int at) {
        return le16(b, at) | ((long) (b[at + 2] & 0xff) << 16);
    }

    private static String ascii(byte[] b, int from, int n) {
        return new String(b, from, n, StandardCharsets.ISO_8859_1);
    }
}
