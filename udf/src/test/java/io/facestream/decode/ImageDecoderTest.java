package io.facestream.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_16UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.facestream.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad and unusual image inputs: each either decodes to 8-bit 3-channel BGR or fails with an {@link
 * ImageDecodeException} that says why. Inputs are the real edge files from {@code ../shared/data}
 * or images encoded here by OpenCV.
 */
class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    @TempDir Path tmp;

    @Test
    void rejectsATextFileNamingTheFile() throws Exception {
        Path file = tmp.resolve("notes.jpg");
        Files.writeString(file, "this is a shopping list, not a photo\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> decoder.decode(file))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a decodable image");
    }

    @Test
    void rejectsRandomBytes() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);

        assertThatThrownBy(() -> decoder.decode(noise, "noise"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("not a decodable image")
                .satisfies(e -> assertThat(((ImageDecodeException) e).source()).isEqualTo("noise"));
    }

    @Test
    void rejectsAnEmptyFile() throws Exception {
        Path file = Files.createFile(tmp.resolve("empty.png"));

        assertThatThrownBy(() -> decoder.decode(file))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("empty input (0 bytes)");
    }

    @Test
    void rejectsAMissingFile() {
        Path file = tmp.resolve("nowhere.jpg");

        assertThatThrownBy(() -> decoder.decode(file))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("cannot read file");
    }

    @ParameterizedTest(name = "cut at {0}%")
    @ValueSource(ints = {10, 50, 90})
    void rejectsAJpegCutShort(int percent) throws Exception {
        byte[] jpeg = Files.readAllBytes(TestData.data("friends/scenes/Friends1.jpg"));
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length * percent / 100);

        assertThatThrownBy(() -> decoder.decode(cut, "Friends1.jpg cut"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("truncated JPEG");
    }

    @Test
    void rejectsAJpegCutAtAnyPercentOfItsLength() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestData.data("people/scenes/obama_and_biden.jpg"));
        for (int percent = 1; percent < 100; percent++) {
            byte[] cut = Arrays.copyOf(jpeg, jpeg.length * percent / 100);
            assertThatThrownBy(() -> decoder.decode(cut, "cut"))
                    .as("cut at %d%%", percent)
                    .isInstanceOf(ImageDecodeException.class)
                    .hasMessageContaining("truncated JPEG");
        }
    }

    @Test
    void rejectsACutJpegWhoseExifThumbnailHasItsOwnEndMarker() throws Exception {
        byte[] jpeg = Files.readAllBytes(TestData.data("friends/scenes/Friends1.jpg"));
        // An APP1 segment after SOI holding a tiny "thumbnail" that ends with FF D9.
        byte[] thumb = {
            'E', 'x', 'i', 'f', 0, 0, (byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, (byte) 0xD9
        };
        byte[] withExif = new byte[jpeg.length + 4 + thumb.length];
        withExif[0] = (byte) 0xFF;
        withExif[1] = (byte) 0xD8;
        withExif[2] = (byte) 0xFF;
        withExif[3] = (byte) 0xE1;
        withExif[4] = 0;
        withExif[5] = (byte) (2 + thumb.length);
        System.arraycopy(thumb, 0, withExif, 6, thumb.length);
        System.arraycopy(jpeg, 2, withExif, 6 + thumb.length, jpeg.length - 2);
        try (Mat whole = decoder.decode(withExif, "with exif")) {
            assertThat(whole.cols()).isEqualTo(640);
        }

        byte[] cut = Arrays.copyOf(withExif, withExif.length / 2);
        assertThatThrownBy(() -> decoder.decode(cut, "with exif, cut"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("truncated JPEG");
    }

    @Test
    void rejectsGarbageBehindAJpegSignature() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = (byte) 0xFF;
        noise[1] = (byte) 0xD8;
        noise[noise.length - 2] = (byte) 0xFF;
        noise[noise.length - 1] = (byte) 0xD9;

        assertThatThrownBy(() -> decoder.decode(noise, "fake.jpg"))
                .isInstanceOf(ImageDecodeException.class);
    }

    @Test
    void acceptsAJpegWithDataAfterTheEndOfImageMarker() throws Exception {
        // Phone "motion photos" append a video after the JPEG's EOI marker; the image is whole.
        byte[] jpeg = Files.readAllBytes(TestData.data("friends/scenes/Friends1.jpg"));
        byte[] trailer = "ftypmp42 a video follows the picture".getBytes(StandardCharsets.US_ASCII);
        byte[] withTrailer = Arrays.copyOf(jpeg, jpeg.length + trailer.length);
        System.arraycopy(trailer, 0, withTrailer, jpeg.length, trailer.length);

        try (Mat img = decoder.decode(withTrailer, "motion photo")) {
            assertThat(img.cols()).isEqualTo(640);
            assertThat(img.rows()).isEqualTo(638);
        }
    }

    @Test
    void rejectsAPngCutShort() throws Exception {
        byte[] png = Files.readAllBytes(TestData.data("edge/no_face_white.png"));
        byte[] cut = Arrays.copyOf(png, png.length / 2);

        assertThatThrownBy(() -> decoder.decode(cut, "no_face_white.png cut"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("truncated PNG");
    }

    @Test
    void decodesAnRgbaPngToThreeChannelBgr() {
        try (Mat img = decoder.decode(TestData.data("edge/32bit.png"))) {
            assertThat(img.type()).isEqualTo(CV_8UC3);
            assertThat(img.cols()).isEqualTo(626);
            assertThat(img.rows()).isEqualTo(1200);
        }
    }

    @Test
    void decodesA16BitPngToEightBitsScaledDown() {
        byte[] png;
        // BGR 16-bit values; 8-bit is the high byte.
        try (Mat deep = new Mat(4, 6, CV_16UC3, new Scalar(65535, 32768, 256, 0))) {
            png = TestData.encode(deep, ".png");
        }

        try (Mat img = decoder.decode(png, "16-bit.png")) {
            assertThat(img.type()).isEqualTo(CV_8UC3);
            assertThat(img.cols()).isEqualTo(6);
            assertThat(img.rows()).isEqualTo(4);
            assertThat(pixel(img, 3, 5)).containsExactly(255, 128, 1);
        }
    }

    @Test
    void decodesAGreyscaleImageToThreeEqualChannels() {
        byte[] png;
        try (Mat grey = new Mat(5, 7, CV_8UC1, Scalar.all(77))) {
            png = TestData.encode(grey, ".png");
        }

        try (Mat img = decoder.decode(png, "grey.png")) {
            assertThat(img.type()).isEqualTo(CV_8UC3);
            assertThat(pixel(img, 4, 6)).containsExactly(77, 77, 77);
        }
    }

    @Test
    void decodesARealGreyscaleGalleryPhoto() {
        try (Mat img = decoder.decode(TestData.data("bbt/gallery/Amy_1.png"))) {
            assertThat(img.type()).isEqualTo(CV_8UC3);
            assertThat(img.cols()).isEqualTo(150);
            int[] p = pixel(img, 75, 75);
            assertThat(p[0]).isEqualTo(p[1]).isEqualTo(p[2]);
        }
    }

    @Test
    void decodesABmpLosslessly() {
        try (Mat photo = decoder.decode(TestData.data("friends/scenes/Friends1.jpg"));
                Mat img = decoder.decode(TestData.encode(photo, ".bmp"), "Friends1.bmp")) {
            assertThat(img.type()).isEqualTo(CV_8UC3);
            assertThat(pixel(img, 300, 320)).containsExactly(pixel(photo, 300, 320));
            assertThat(pixel(img, 637, 639)).containsExactly(pixel(photo, 637, 639));
        }
    }

    @Test
    void decodesAOneByOnePixelImage() {
        byte[] png;
        try (Mat dot = new Mat(1, 1, CV_8UC3, new Scalar(10, 20, 30, 0))) {
            png = TestData.encode(dot, ".png");
        }

        try (Mat img = decoder.decode(png, "1x1.png")) {
            assertThat(img.cols()).isEqualTo(1);
            assertThat(img.rows()).isEqualTo(1);
            assertThat(pixel(img, 0, 0)).containsExactly(10, 20, 30);
        }
    }

    @Test
    void rejectsAPngDeclaringTwentyThousandSquarePixelsBeforeDecodingIt() {
        byte[] png;
        try (Mat small = new Mat(8, 8, CV_8UC3, Scalar.all(0))) {
            png = TestData.encode(small, ".png");
        }
        byte[] bomb = withPngSize(png, 20_000, 20_000);

        assertThatThrownBy(() -> decoder.decode(bomb, "bomb.png"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("20000x20000")
                .hasMessageContaining("limit of " + ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    @Test
    void rejectsAJpegDeclaringTwentyThousandSquarePixels() {
        byte[] jpeg;
        try (Mat small = new Mat(8, 8, CV_8UC3, Scalar.all(0))) {
            jpeg = TestData.encode(small, ".jpg");
        }
        byte[] bomb = withJpegSize(jpeg, 20_000, 20_000);

        assertThatThrownBy(() -> decoder.decode(bomb, "bomb.jpg"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("limit of " + ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    /** Netpbm headers ImageIO cannot read: before the fix only OpenCV's 2^30 limit applied. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "P6\n20000 20000\n255\n",
                "P5 # a comment\n20000\n# another\n20000 255\n",
                "P3\n20000 20000\n255\n0 0 0\n",
                "P7\nWIDTH 20000\nHEIGHT 20000\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n",
                "PF\n20000 20000\n-1.0\n"
            })
    void rejectsANetpbmHeaderDeclaringTwentyThousandSquarePixels(String header) {
        byte[] bomb =
                Arrays.copyOf(header.getBytes(StandardCharsets.US_ASCII), header.length() + 64);

        assertThatThrownBy(() -> decoder.decode(bomb, "bomb.ppm"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("20000x20000")
                .hasMessageContaining("limit of " + ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    @Test
    void stillDecodesASmallPpm() {
        byte[] ppm;
        try (Mat small = new Mat(6, 10, CV_8UC3, new Scalar(10, 20, 30, 0))) {
            ppm = TestData.encode(small, ".ppm");
        }
        try (Mat img = decoder.decode(ppm, "small.ppm")) {
            assertThat(img.cols()).isEqualTo(10);
            assertThat(img.rows()).isEqualTo(6);
            assertThat(pixel(img, 0, 0)).containsExactly(10, 20, 30);
        }
        assertThatThrownBy(() -> new ImageDecoder(59).decode(ppm, "small.ppm"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("10x6");
    }

    /** WebP: lossy (VP8), lossless (VP8L) and extended (VP8X) headers carry the size. */
    @Test
    void rejectsWebpHeadersDeclaringMoreThanTheLimit() {
        byte[] lossy;
        byte[] lossless;
        try (Mat small = new Mat(8, 8, CV_8UC3, Scalar.all(90))) {
            lossy = webp(small, 90);
            lossless = webp(small, 101); // above 100: lossless
        }
        assertThat(new String(lossy, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("VP8 ");
        assertThat(new String(lossless, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("VP8L");
        try (Mat ok = decoder.decode(lossy, "small.webp")) {
            assertThat(ok.cols()).isEqualTo(8);
        }
        try (Mat ok = decoder.decode(lossless, "small-lossless.webp")) {
            assertThat(ok.cols()).isEqualTo(8);
        }

        byte[] vp8 = lossy.clone();
        vp8[26] = (byte) 0xff; // 14-bit width and height: 16383 each
        vp8[27] = (byte) 0x3f;
        vp8[28] = (byte) 0xff;
        vp8[29] = (byte) 0x3f;
        byte[] vp8l = lossless.clone();
        // width-1 and height-1 = 16383 (so 16384 each) in the 28 bits after the 0x2f signature
        vp8l[21] = (byte) 0xff;
        vp8l[22] = (byte) 0xff;
        vp8l[23] = (byte) 0xff;
        vp8l[24] = (byte) ((vp8l[24] & 0xf0) | 0x0f);
        byte[] vp8x = Arrays.copyOf("RIFF\0\0\0\0WEBPVP8X".getBytes(StandardCharsets.US_ASCII), 40);
        vp8x[24] = (byte) 0x1f; // canvas 20000 x 20000: 19999 = 0x4e1f
        vp8x[25] = (byte) 0x4e;
        vp8x[27] = (byte) 0x1f;
        vp8x[28] = (byte) 0x4e;

        assertThatThrownBy(() -> decoder.decode(vp8, "bomb.webp"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("16383x16383")
                .hasMessageContaining("limit of " + ImageDecoder.DEFAULT_MAX_PIXELS);
        assertThatThrownBy(() -> decoder.decode(vp8l, "bomb.webp"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("16384x16384");
        assertThatThrownBy(() -> decoder.decode(vp8x, "bomb.webp"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("20000x20000");
    }

    /** Other formats OpenCV decodes without ImageIO: Sun raster and Radiance HDR headers. */
    @Test
    void rejectsSunRasterAndRadianceHeadersDeclaringTwentyThousandSquarePixels() {
        byte[] ras;
        byte[] hdr;
        try (Mat small = new Mat(8, 8, CV_8UC3, Scalar.all(90))) {
            ras = TestData.encode(small, ".ras");
            hdr = TestData.encode(small, ".hdr");
        }
        try (Mat ok = decoder.decode(ras, "small.ras")) {
            assertThat(ok.cols()).isEqualTo(8);
        }
        try (Mat ok = decoder.decode(hdr, "small.hdr")) {
            assertThat(ok.cols()).isEqualTo(8);
        }
        byte[] rasBomb = ras.clone();
        putInt(rasBomb, 4, 20_000);
        putInt(rasBomb, 8, 20_000);
        String header = new String(hdr, StandardCharsets.ISO_8859_1);
        int at = header.indexOf("-Y 8 +X 8");
        assertThat(at).as(header.substring(0, Math.min(120, header.length()))).isPositive();
        byte[] hdrBomb =
                (header.substring(0, at) + "-Y 20000 +X 20000" + header.substring(at + 9))
                        .getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] bomb : new byte[][] {rasBomb, hdrBomb}) {
            assertThatThrownBy(() -> decoder.decode(bomb, "bomb"))
                    .isInstanceOf(ImageDecodeException.class)
                    .hasMessageContaining("20000x20000");
        }
    }

    @Test
    void appliesAConfiguredPixelLimit() {
        ImageDecoder strict = new ImageDecoder(100_000);

        assertThatThrownBy(() -> strict.decode(TestData.data("friends/scenes/Friends1.jpg")))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("640x638")
                .hasMessageContaining("limit of 100000");
    }

    static byte[] webp(Mat img, int quality) {
        try (org.bytedeco.javacpp.IntPointer q =
                        new org.bytedeco.javacpp.IntPointer(
                                org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY,
                                quality);
                org.bytedeco.javacpp.BytePointer buf = new org.bytedeco.javacpp.BytePointer()) {
            assertThat(org.bytedeco.opencv.global.opencv_imgcodecs.imencode(".webp", img, buf, q))
                    .isTrue();
            byte[] bytes = new byte[(int) buf.limit()];
            buf.get(bytes);
            return bytes;
        }
    }

    /** B, G, R of one pixel. */
    static int[] pixel(Mat img, int row, int col) {
        try (UByteIndexer ix = img.createIndexer()) {
            return new int[] {ix.get(row, col, 0), ix.get(row, col, 1), ix.get(row, col, 2)};
        }
    }

    /** The PNG with its IHDR width and height replaced and the chunk's CRC recomputed. */
    static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] b = png.clone();
        // 8-byte signature, then IHDR: length (4), "IHDR" (4), width (4), height (4), ...
        assertThat(new String(b, 12, 4, StandardCharsets.US_ASCII)).isEqualTo("IHDR");
        putInt(b, 16, width);
        putInt(b, 20, height);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 4 + 13); // chunk type + 13 data bytes
        putInt(b, 29, (int) crc.getValue());
        return b;
    }

    /** The JPEG with the height and width in its baseline SOF0 header replaced. */
    static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 9 < b.length; ) {
            assertThat(b[i] & 0xff).as("marker at %d", i).isEqualTo(0xFF);
            int marker = b[i + 1] & 0xff;
            if (marker == 0xC0) {
                // FF C0, length (2), precision (1), height (2), width (2)
                b[i + 5] = (byte) (height >> 8);
                b[i + 6] = (byte) height;
                b[i + 7] = (byte) (width >> 8);
                b[i + 8] = (byte) width;
                return b;
            }
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        }
        throw new AssertionError("no SOF0 marker in the JPEG");
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
