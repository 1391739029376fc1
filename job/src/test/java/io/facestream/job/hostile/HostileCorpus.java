package io.facestream.job.hostile;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.facestream.job.JobTestSupportAccess;
import io.facestream.job.kafka.TestFrames;
import io.facestream.schema.DeadLetter;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * The hostile and broken inputs, each with what the job and the CLI must make of it.
 *
 * <p>A case is either a whole Kafka record value ({@link Kind#RECORD}: not a frame at all) or the
 * image inside an otherwise valid {@link Frame} ({@link Kind#IMAGE}); {@link Kind#BGR24} is a raw
 * pixel frame. The CLI gets the same bytes as a file. Inputs are real photos from {@code
 * ../shared/data}, cut or altered here, or made here with OpenCV.
 */
final class HostileCorpus {
    static final Path DATA =
            Path.of(System.getProperty("facestream.project.root", ".."))
                    .resolve("../shared/data")
                    .normalize();

    enum Kind {
        RECORD,
        IMAGE,
        BGR24
    }

    /**
     * One input.
     *
     * @param jobStage the dead letter's stage, or null when the job must process it as a frame
     * @param jobReason text the dead letter's message must contain
     * @param cliReason text the CLI's error for the file must contain; null: the CLI must identify
     *     it without error; "-": not a CLI case (a Kafka-only shape)
     * @param faces for a processed frame, how many faces it must give (-1: any)
     */
    record Case(
            String name,
            Kind kind,
            byte[] bytes,
            String jobStage,
            String jobReason,
            String cliReason,
            int faces) {
        @Override
        public String toString() {
            return name;
        }

        boolean cli() {
            return !"-".equals(cliReason);
        }
    }

    private HostileCorpus() {}

    static List<Case> cases() {
        byte[] jpeg = read("people/scenes/kit_with_rose.jpg");
        byte[] png = read("edge/32bit.png");
        byte[] noise = new byte[3000];
        new Random(7).nextBytes(noise);
        List<Case> c = new ArrayList<>();
        String notAvro = "not a valid Avro Frame";
        String notImage = "not a decodable image";
        c.add(new Case("random bytes", Kind.RECORD, noise, "parse", notAvro, notImage, 0));
        c.add(
                new Case(
                        "JSON text, not Avro",
                        Kind.RECORD,
                        "{\"cameraId\": \"cam\", \"data\": \"...\"}"
                                .getBytes(StandardCharsets.UTF_8),
                        "parse",
                        notAvro,
                        notImage,
                        0));
        c.add(
                new Case(
                        "Avro of another schema (DeadLetter)",
                        Kind.RECORD,
                        avro(deadLetter()),
                        "parse",
                        notAvro,
                        notImage,
                        0));
        c.add(
                new Case(
                        "Avro of another schema (FaceIdentity)",
                        Kind.RECORD,
                        avro(
                                TestFrames.identityOf(
                                        TestFrames.frame("cam", 3, 640, new byte[] {1}))),
                        "parse",
                        notAvro,
                        notImage,
                        0));
        c.add(new Case("0-byte record", Kind.RECORD, new byte[0], "parse", notAvro, "empty", 0));
        c.add(new Case("tombstone (null value)", Kind.RECORD, null, "parse", "tombstone", "-", 0));
        c.add(
                new Case(
                        "0-byte image",
                        Kind.IMAGE,
                        new byte[0],
                        "parse",
                        "frame data is empty",
                        "empty input (0 bytes)",
                        0));
        for (int percent : new int[] {1, 10, 50, 90, 99}) {
            c.add(
                    new Case(
                            "JPEG cut at " + percent + "%",
                            Kind.IMAGE,
                            Arrays.copyOf(jpeg, jpeg.length * percent / 100),
                            "decode",
                            "truncated JPEG",
                            "truncated JPEG",
                            0));
        }
        for (int percent : new int[] {1, 50, 99}) {
            c.add(
                    new Case(
                            "PNG cut at " + percent + "%",
                            Kind.IMAGE,
                            Arrays.copyOf(png, png.length * percent / 100),
                            "decode",
                            "truncated PNG",
                            "truncated PNG",
                            0));
        }
        String bomb = "image declares 20000x20000 pixels, more than the limit";
        c.add(
                new Case(
                        "PNG header of 20000x20000",
                        Kind.IMAGE,
                        pngBomb(),
                        "decode",
                        bomb,
                        bomb,
                        0));
        c.add(
                new Case(
                        "JPEG header of 20000x20000",
                        Kind.IMAGE,
                        jpegBomb(jpeg),
                        "decode",
                        bomb,
                        bomb,
                        0));
        c.add(
                new Case(
                        "PPM header of 20000x20000",
                        Kind.IMAGE,
                        Arrays.copyOf(
                                "P6\n20000 20000\n255\n".getBytes(StandardCharsets.US_ASCII), 4096),
                        "decode",
                        bomb,
                        bomb,
                        0));
        c.add(
                new Case(
                        "WebP header of 20000x20000",
                        Kind.IMAGE,
                        webpBomb(),
                        "decode",
                        bomb,
                        bomb,
                        0));
        c.add(
                new Case(
                        "BGR24 frame claiming 20000x20000",
                        Kind.BGR24,
                        new byte[] {1, 2, 3},
                        "decode",
                        "BGR24 frame of 20000x20000 needs",
                        "-",
                        0));
        c.add(
                new Case(
                        "0 faces (white image)",
                        Kind.IMAGE,
                        read("edge/no_face_white.png"),
                        null,
                        null,
                        null,
                        0));
        c.add(new Case("50 faces (tiled)", Kind.IMAGE, fiftyFaces(), null, null, null, 50));
        return c;
    }

    /** 50 copies of a real face (Obama's gallery photo, cropped to his head) in a 10x5 grid. */
    static byte[] fiftyFaces() {
        try (Mat photo = imread(DATA.resolve("people/gallery/obama/obama_a.jpg").toString());
                Mat grid = new Mat(5 * 160, 10 * 130, CV_8UC3)) {
            if (photo.empty()) {
                throw new IllegalStateException("cannot read the Obama photo");
            }
            // Head and shoulders: the middle of the portrait, scaled to one 130x160 tile.
            int w = photo.cols() * 3 / 5;
            int h = Math.min(photo.rows(), w * 16 / 13);
            try (Mat head = new Mat(photo, new Rect((photo.cols() - w) / 2, 0, w, h));
                    Mat tile = new Mat()) {
                org.bytedeco.opencv.global.opencv_imgproc.resize(
                        head, tile, new org.bytedeco.opencv.opencv_core.Size(130, 160));
                for (int row = 0; row < 5; row++) {
                    for (int col = 0; col < 10; col++) {
                        try (Mat cell = new Mat(grid, new Rect(col * 130, row * 160, 130, 160))) {
                            tile.copyTo(cell);
                        }
                    }
                }
            }
            return encode(grid, ".jpg");
        }
    }

    static byte[] encode(Mat img, String ext) {
        try (BytePointer buf = new BytePointer()) {
            if (!imencode(ext, img, buf)) {
                throw new IllegalStateException("OpenCV cannot encode " + ext);
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    /** A real 8x8 PNG whose IHDR (CRC fixed) claims 20000x20000. */
    static byte[] pngBomb() {
        byte[] b;
        try (Mat small = new Mat(8, 8, CV_8UC3)) {
            b = encode(small, ".png");
        }
        putInt(b, 16, 20_000);
        putInt(b, 20, 20_000);
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        putInt(b, 29, (int) crc.getValue());
        return b;
    }

    /** The real JPEG with its SOF0 height and width set to 20000. */
    static byte[] jpegBomb(byte[] jpeg) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 9 < b.length; ) {
            int marker = b[i + 1] & 0xff;
            if (marker == 0xC0 || marker == 0xC2) {
                b[i + 5] = (byte) (20_000 >> 8);
                b[i + 6] = (byte) 20_000;
                b[i + 7] = (byte) (20_000 >> 8);
                b[i + 8] = (byte) 20_000;
                return b;
            }
            i += 2 + (((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff));
        }
        throw new IllegalStateException("no SOF marker in the JPEG");
    }

    /** An extended-format (VP8X) WebP header whose canvas is 20000x20000. */
    static byte[] webpBomb() {
        byte[] b = Arrays.copyOf("RIFF\0\0\0\0WEBPVP8X".getBytes(StandardCharsets.US_ASCII), 64);
        b[16] = 10; // chunk size
        b[24] = (byte) 0x1f; // 19999 = 0x4e1f, stored as width - 1
        b[25] = (byte) 0x4e;
        b[27] = (byte) 0x1f;
        b[28] = (byte) 0x4e;
        return b;
    }

    static Frame frame(Case c, String camera, long sequence) {
        boolean raw = c.kind() == Kind.BGR24;
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setTimestamp(Instant.ofEpochMilli(TestFrames.BASE_MS + sequence * 40))
                .setWidth(raw ? 20_000 : 640)
                .setHeight(raw ? 20_000 : 480)
                .setEncoding(raw ? FrameEncoding.BGR24 : FrameEncoding.JPEG)
                .setData(ByteBuffer.wrap(c.bytes()))
                .build();
    }

    static Frame goodFrame(String camera, long sequence, byte[] jpeg) {
        return frame(new Case("good", Kind.IMAGE, jpeg, null, null, null, -1), camera, sequence);
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> byte[] avro(T record) {
        return AvroSerializationSchema.forSpecific((Class<T>) record.getClass()).serialize(record);
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSource("elsewhere/0/7")
                .setStage("decode")
                .setErrorClass("java.lang.IllegalStateException")
                .setErrorMessage("a record of the wrong schema on the frames topic")
                .setTimestamp(Instant.ofEpochMilli(TestFrames.BASE_MS))
                .build();
    }

    /** The sample clip with 64 KiB of garbage written over the middle of its media data. */
    static Path brokenClip(Path tmp) throws IOException {
        byte[] clip = Files.readAllBytes(JobTestSupportAccess.CLIP);
        Random r = new Random(11);
        byte[] garbage = new byte[64 * 1024];
        r.nextBytes(garbage);
        System.arraycopy(garbage, 0, clip, clip.length / 2, garbage.length);
        Path p = tmp.resolve("broken-middle.mp4");
        Files.write(p, clip);
        return p;
    }

    static byte[] read(String relative) {
        try {
            return Files.readAllBytes(DATA.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException("shared test data missing: " + relative, e);
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
