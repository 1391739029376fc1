package io.facestream.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.schema.FaceAlert;
import io.facestream.schema.FaceAppearance;
import io.facestream.track.VoteSettings;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Alerts and gallery reconciliation of one track, without Flink. */
class TrackAppearancesTest {
    private static final VoteSettings VOTE = VoteSettings.defaults();

    private static TrackAppearances identified(String who) {
        TrackAppearances t = TrackAppearances.start(7, 0, 1_000, VOTE);
        t.seen(0, 1_000, null);
        t.decided(who, 0.7f, 1f, List.of("watch"));
        return t;
    }

    @Test
    void alertsOncePerAppearanceAndOnlyForAnAlertingList() {
        TrackAppearances t = identified("miranda");

        assertThat(t.alertDue("A", List.of(), 3, 2_000, "people")).isNull();
        FaceAlert a = t.alertDue("A", List.of("watch"), 3, 2_000, "people");
        assertThat(a.getIdentity()).isEqualTo("miranda");
        assertThat(a.getList()).isEqualTo("watch");
        assertThat(a.getTrackId()).isEqualTo(7);
        assertThat(a.getFrameSequence()).isEqualTo(3);
        assertThat(a.getSimilarity()).isEqualTo(0.7f);
        // Later frames of the same appearance, also after a restore from its state: no repeat.
        assertThat(t.alertDue("A", List.of("watch"), 4, 2_040, "people")).isNull();
        TrackAppearances restored = TrackAppearances.of(t.state(), VOTE);
        assertThat(restored.alertDue("A", List.of("watch"), 5, 2_080, "people")).isNull();
        assertThat(restored.reportedLists("miranda")).containsExactly("watch");
    }

    @Test
    void aDeletedIdentityLeavesTheTrackAndAnEnrolmentResetsUnknown() {
        TrackAppearances t = identified("miranda");
        t.reconcile(1, name -> true);
        assertThat(t.identity()).isEqualTo("miranda");

        t.reconcile(2, name -> !name.equals("miranda"));

        assertThat(t.identity()).isNull();
        FaceAppearance ended = t.ended("A", "people");
        assertThat(ended).isNull(); // never confirmed, so never announced
        // Unknown decisions made before a change no longer hold a new name back.
        TrackAppearances u = TrackAppearances.start(8, 0, 0, VOTE);
        for (int i = 0; i < 5; i++) {
            u.decided(null, 0.1f, 1f);
        }
        u.decided("lacamoire", 0.6f, 1f, List.of());
        assertThat(u.identity()).isNull();
        u.reconcile(3, Set.of("lacamoire")::contains);
        assertThat(u.identity()).isEqualTo("lacamoire");
    }
}
