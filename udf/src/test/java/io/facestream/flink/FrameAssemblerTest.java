package io.facestream.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.AnnotatedFrame;
import io.facestream.schema.Box;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameEncoding;
import io.facestream.schema.MatchStatus;
import io.facestream.schema.Point;
import io.facestream.schema.internal.DetectedFace;
import io.facestream.schema.internal.FaceMatches;
import io.facestream.schema.internal.FrameFaces;
import io.facestream.schema.internal.GalleryMatch;
import io.facestream.testing.TestData;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The assembler on a real photo: a frame completes when all its faces' lookups are in, the decision
 * names the identity, and the annotated frame is drawn only when there is something to draw and
 * drawing is on; otherwise it carries the source's JPEG bytes untouched (no re-encode).
 */
class FrameAssemblerTest {
    private static final String GALLERY = "g";

    @Test
    void drawsTheMatchedFaceOnTheAnnotatedFrame() throws Exception {
        byte[] jpeg = photo();
        List<Object> out = run(true, jpeg, true);
        FaceIdentity id = (FaceIdentity) out.get(0);
        assertThat(id.getStatus()).isEqualTo(MatchStatus.MATCHED);
        assertThat(id.getIdentity()).isEqualTo("rachel");
        AnnotatedFrame a = (AnnotatedFrame) out.get(1);
        assertThat(a.getFaces()).containsExactly(id);
        assertThat(Frames.bytes(a.getJpeg())).isNotEqualTo(jpeg);
    }

    @Test
    void aFailedLookupCarriesItsReason() throws Exception {
        List<Object> out = run(true, photo(), true, "gallery 'g' does not exist");
        FaceIdentity id = (FaceIdentity) out.get(0);
        assertThat(id.getStatus()).isEqualTo(MatchStatus.LOOKUP_FAILED);
        assertThat(id.getIdentity()).isNull();
        assertThat(id.getError()).isEqualTo("gallery 'g' does not exist");
        assertThat(((FaceIdentity) run(true, photo(), true).get(0)).getError()).isNull();
    }

    @Test
    void passesTheSourceJpegThroughWhenNotDrawing() throws Exception {
        byte[] jpeg = photo();
        AnnotatedFrame a = (AnnotatedFrame) run(false, jpeg, true).get(1);
        assertThat(a.getFaces()).hasSize(1);
        assertThat(Frames.bytes(a.getJpeg())).isEqualTo(jpeg);
    }

    @Test
    void passesAFrameWithoutFacesThroughUntouched() throws Exception {
        byte[] jpeg = photo();
        List<Object> out = run(true, jpeg, false);
        assertThat(out).singleElement().isInstanceOf(AnnotatedFrame.class);
        AnnotatedFrame a = (AnnotatedFrame) out.get(0);
        assertThat(a.getFaces()).isEmpty();
        assertThat(Frames.bytes(a.getJpeg())).isEqualTo(jpeg);
    }

    private static byte[] photo() throws Exception {
        return Files.readAllBytes(TestData.data("friends/scenes/Friends1.jpg"));
    }

    /** Identities then annotated frames, in emission order. */
    private static List<Object> run(boolean draw, byte[] jpeg, boolean withFace) throws Exception {
        return run(draw, jpeg, withFace, null);
    }

    /** With {@code lookupError} set, the face's lookup failed with that message. */
    private static List<Object> run(boolean draw, byte[] jpeg, boolean withFace, String lookupError)
            throws Exception {
        var settings = new AssembleSettings(0.4f, 0.05f, GALLERY, 60_000, true, 85, draw);
        try (var h =
                new KeyedTwoInputStreamOperatorTestHarness<
                        String, FrameFaces, FaceMatches, FaceIdentity>(
                        new KeyedCoProcessOperator<>(new FrameAssembler(settings)),
                        f ->
                                FrameAssembler.key(
                                        f.getFrame().getCameraId(), f.getFrame().getSequence()),
                        m -> FrameAssembler.key(m.getCameraId(), m.getSequence()),
                        Types.STRING)) {
            h.open();
            DetectedFace face =
                    DetectedFace.newBuilder()
                            .setFaceIndex(0)
                            .setBox(new Box(100f, 60f, 220f, 210f))
                            .setLandmarks(
                                    List.of(
                                            new Point(135f, 120f),
                                            new Point(185f, 120f),
                                            new Point(160f, 150f),
                                            new Point(140f, 180f),
                                            new Point(180f, 180f)))
                            .setScore(0.98f)
                            .build();
            Frame frame =
                    Frame.newBuilder()
                            .setCameraId("cam")
                            .setSequence(7)
                            .setTimestamp(Instant.ofEpochMilli(1000))
                            .setWidth(0)
                            .setHeight(0)
                            .setEncoding(FrameEncoding.JPEG)
                            .setData(ByteBuffer.wrap(jpeg.clone()))
                            .build();
            h.processElement1(
                    new StreamRecord<>(
                            FrameFaces.newBuilder()
                                    .setFrame(frame)
                                    .setIngestTime(1000)
                                    .setDetectorModel("det")
                                    .setFaces(withFace ? List.of(face) : List.of())
                                    .build(),
                            1000));
            if (withFace) {
                h.processElement2(
                        new StreamRecord<>(
                                FaceMatches.newBuilder()
                                        .setCameraId("cam")
                                        .setSequence(7)
                                        .setTimestamp(1000)
                                        .setIngestTime(1000)
                                        .setFacesInFrame(1)
                                        .setFace(face)
                                        .setDetectorModel("det")
                                        .setEmbedderModel("emb")
                                        .setLookupFailed(lookupError != null)
                                        .setError(lookupError)
                                        .setMatches(
                                                List.of(
                                                        new GalleryMatch(
                                                                "e1", "rachel", 0.7f, null)))
                                        .build(),
                                1000));
            }
            List<Object> out = new ArrayList<>();
            h.extractOutputValues().forEach(out::add);
            var side = h.getSideOutput(FrameAssembler.ANNOTATED);
            if (side != null) {
                side.forEach(r -> out.add(r.getValue()));
            }
            return out;
        }
    }
}
