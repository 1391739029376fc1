package io.facestream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.facestream.job.JobTestSupportAccess;
import io.facestream.schema.AppearanceEvent;
import io.facestream.schema.FaceAppearance;
import io.facestream.schema.MatchStatus;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A video's timeline from appearance events as the job sends them: one appearance per track, from
 * its ENDED event, labels and ordinals in start order, not-recognisable tracks apart from unknown
 * people, and the event's JPEG (a real photo here) as the thumbnail.
 */
class TimelineTest {
    static final Path PHOTO =
            JobTestSupportAccess.CLIP
                    .getParent()
                    .getParent()
                    .resolve("people/gallery/obama")
                    .toFile()
                    .listFiles((d, n) -> n.endsWith(".jpg"))[0]
                    .toPath();
    static final long ORIGIN = 1_000;

    @Test
    void oneAppearancePerTrackFromItsEndedEventWhateverTheArrivalOrder() throws Exception {
        byte[] jpeg = Files.readAllBytes(PHOTO);
        List<FaceAppearance> events = new ArrayList<>();
        // track 7: started unknown, identified, ended after 40 frames
        events.add(
                event(7, AppearanceEvent.STARTED, MatchStatus.UNKNOWN, null, 1500, 1600, 3, null));
        events.add(
                event(
                        7,
                        AppearanceEvent.IDENTIFIED,
                        MatchStatus.MATCHED,
                        "ana",
                        1500,
                        1900,
                        12,
                        jpeg));
        events.add(
                event(7, AppearanceEvent.ENDED, MatchStatus.MATCHED, "ana", 1500, 2800, 40, jpeg));
        // track 3 starts earlier: a stranger
        events.add(
                event(3, AppearanceEvent.ENDED, MatchStatus.UNKNOWN, null, 1200, 2000, 25, jpeg));
        // track 9: nobody's face passed a gate
        FaceAppearance junk =
                event(
                        9,
                        AppearanceEvent.ENDED,
                        MatchStatus.NOT_RECOGNISABLE,
                        null,
                        1300,
                        1400,
                        4,
                        null);
        junk.setReason("POSE");
        events.add(junk);
        // track 12: ana again, later
        events.add(
                event(12, AppearanceEvent.ENDED, MatchStatus.MATCHED, "ana", 5000, 6000, 30, jpeg));

        Timeline t = Timeline.of("v.mp4", events, ORIGIN);
        Collections.reverse(events);
        Timeline reversed = Timeline.of("v.mp4", events, ORIGIN);

        assertThat(t.appearances())
                .extracting(
                        Appearance::trackId,
                        Appearance::identity,
                        Appearance::status,
                        Appearance::ordinal,
                        Appearance::startMs,
                        Appearance::endMs,
                        Appearance::frames)
                .containsExactly(
                        tuple(3L, "unknown-1", MatchStatus.UNKNOWN, 1, 200L, 1000L, 25),
                        tuple(
                                9L,
                                "not-recognisable-1",
                                MatchStatus.NOT_RECOGNISABLE,
                                1,
                                300L,
                                400L,
                                4),
                        tuple(7L, "ana", MatchStatus.MATCHED, 1, 500L, 1800L, 40),
                        tuple(12L, "ana", MatchStatus.MATCHED, 2, 4000L, 5000L, 30));
        assertThat(reversed.appearances()).isEqualTo(t.appearances());
        assertThat(t.appearances().get(1).reason()).isEqualTo("POSE");
        assertThat(t.appearances()).filteredOn(Appearance::unknownPerson).hasSize(1);
        assertThat(t.notRecognisableByReason()).containsExactly(java.util.Map.entry("pose", 1));
        assertThat(t.thumbnails().keySet())
                .containsExactly("v.mp4_unknown-1_1", "v.mp4_ana_1", "v.mp4_ana_2");
        assertThat(t.thumbnails().get("v.mp4_ana_1")).isEqualTo(jpeg);
    }

    @Test
    void aTrackWithoutEndedKeepsItsLongestEventAndBrokenThumbnailsAreDropped() throws Exception {
        byte[] jpeg = Files.readAllBytes(PHOTO);
        byte[] broken = Arrays.copyOf(jpeg, 200);
        Timeline t =
                Timeline.of(
                        "v",
                        List.of(
                                event(
                                        1,
                                        AppearanceEvent.STARTED,
                                        MatchStatus.UNKNOWN,
                                        null,
                                        1000,
                                        1100,
                                        3,
                                        broken),
                                event(
                                        1,
                                        AppearanceEvent.IDENTIFIED,
                                        MatchStatus.MATCHED,
                                        "bo",
                                        1000,
                                        1500,
                                        9,
                                        broken)),
                        ORIGIN);
        assertThat(t.appearances())
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.identity()).isEqualTo("bo");
                            assertThat(a.frames()).isEqualTo(9);
                            assertThat(a.bestSimilarity())
                                    .isEqualTo(0.5f, org.assertj.core.api.Assertions.within(1e-6));
                        });
        assertThat(t.thumbnails()).isEmpty();
        assertThat(Timeline.of("v", List.of(), ORIGIN).appearances()).isEmpty();
    }

    @Test
    void countsNotRecognisableTracksByGate() {
        List<FaceAppearance> events = new ArrayList<>();
        String[] reasons = {"BLURRED", "POSE", "BLURRED", "TOO_SMALL", "BLURRED"};
        for (int i = 0; i < reasons.length; i++) {
            FaceAppearance e =
                    event(
                            i,
                            AppearanceEvent.ENDED,
                            MatchStatus.NOT_RECOGNISABLE,
                            null,
                            1000 + i,
                            1100 + i,
                            5,
                            null);
            e.setReason(reasons[i]);
            events.add(e);
        }
        Timeline t = Timeline.of("v", events, ORIGIN);
        assertThat(t.notRecognisableByReason())
                .containsExactly(
                        java.util.Map.entry("blurred", 3),
                        java.util.Map.entry("pose", 1),
                        java.util.Map.entry("too small", 1));
        assertThat(ReportHtml.notRecognisable(t.notRecognisableByReason()))
                .isEqualTo("not recognisable: 5 tracks (blurred 3, pose 1, too small 1)");
        assertThat(t.appearances()).noneMatch(Appearance::unknownPerson);
    }

    @Test
    void unknownPeopleWithAPseudonymAreLabelledAndGroupedByItAcrossVideos() throws Exception {
        byte[] jpeg = Files.readAllBytes(PHOTO);
        String stranger = "unknown-7f3a0c11d2e4";
        FaceAppearance inA =
                event(1, AppearanceEvent.ENDED, MatchStatus.UNKNOWN, null, 1200, 2000, 20, jpeg);
        inA.setPseudonym(stranger);
        FaceAppearance againInA =
                event(4, AppearanceEvent.ENDED, MatchStatus.UNKNOWN, null, 3000, 3500, 12, jpeg);
        againInA.setPseudonym(stranger);
        FaceAppearance nameless =
                event(2, AppearanceEvent.ENDED, MatchStatus.UNKNOWN, null, 1300, 1800, 9, jpeg);
        FaceAppearance inB =
                event(5, AppearanceEvent.ENDED, MatchStatus.UNKNOWN, null, 1100, 1400, 8, jpeg);
        inB.setPseudonym(stranger);

        Timeline a = Timeline.of("a.mp4", List.of(inA, nameless, againInA), ORIGIN);
        Timeline b = Timeline.of("b.mp4", List.of(inB), ORIGIN);

        assertThat(a.appearances())
                .extracting(Appearance::identity, Appearance::ordinal, Appearance::pseudonymous)
                .containsExactly(
                        tuple(stranger, 1, true),
                        tuple("unknown-1", 1, false),
                        tuple(stranger, 2, true));
        assertThat(b.appearances())
                .extracting(Appearance::identity, Appearance::pseudonym)
                .containsExactly(tuple(stranger, stranger));
        List<ReplayReport.VideoEntry> entries = new ArrayList<>();
        for (Timeline t : List.of(a, b)) {
            String id = t.appearances().get(0).video();
            entries.add(
                    new ReplayReport.VideoEntry(
                            new ReplayInputs.Video(id, Path.of(id), 0, 5000, 125, 25),
                            125,
                            t,
                            0,
                            List.of()));
        }
        java.util.Map<String, byte[]> thumbs = new java.util.LinkedHashMap<>();
        entries.forEach(e -> thumbs.putAll(e.timeline().thumbnails()));
        String html = ReportHtml.render(entries, List.of(), thumbs, "people");
        String byPseudonym =
                html.substring(html.indexOf("Unknown people across all videos, by pseudonym"));
        assertThat(byPseudonym)
                .contains(stranger)
                .contains("a.mp4, b.mp4")
                .doesNotContain("unknown-1<");
    }

    private static FaceAppearance event(
            long track,
            AppearanceEvent kind,
            MatchStatus status,
            String identity,
            long first,
            long last,
            int frames,
            byte[] thumbnail) {
        return FaceAppearance.newBuilder()
                .setCameraId("v.mp4")
                .setTrackId(track)
                .setEvent(kind)
                .setStatus(status)
                .setIdentity(identity)
                .setSimilarity(status == MatchStatus.NOT_RECOGNISABLE ? null : 0.5f)
                .setFirstTimestamp(Instant.ofEpochMilli(first))
                .setLastTimestamp(Instant.ofEpochMilli(last))
                .setFirstSequence(first / 100)
                .setLastSequence(last / 100)
                .setFramesSeen(frames)
                .setFacesEmbedded(frames / 4)
                .setThumbnail(thumbnail == null ? null : ByteBuffer.wrap(thumbnail))
                .setGallery("people")
                .setEmitTime(Instant.EPOCH)
                .build();
    }
}
