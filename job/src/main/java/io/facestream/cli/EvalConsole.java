package io.facestream.cli;

import io.facestream.eval.EvalFailure;
import io.facestream.eval.EvalReport;
import io.facestream.eval.OpenSetRates;
import java.util.List;
import java.util.Locale;

/** The console summary of an {@link EvalReport}: the figures a user tunes a threshold with. */
final class EvalConsole {
    private EvalConsole() {}

    static void print(EvalReport r) {
        var images = r.images();
        System.out.printf(
                "%s / %s: %d image(s), %d usable, %d failed%n",
                r.detector(), r.embedder(), images.total(), images.usable(), images.failed());
        failures(r.failures());
        r.notes().forEach(n -> System.out.println("note: " + GalleryCommand.shown(n)));
        if (r.split() != null) {
            var s = r.split();
            System.out.printf(
                    "gallery: %d people, %d entries; probes: %d enrolled, %d of %d stranger(s) %s%n",
                    s.enrolledPeople(),
                    s.galleryEntries(),
                    s.enrolledProbes(),
                    s.strangerProbes(),
                    s.strangers().size(),
                    s.strangers());
        }
        var v = r.verification();
        System.out.printf(
                Locale.ROOT,
                "pairs: %d genuine (mean %.3f, min %.3f), %d impostor (mean %.3f, max %.3f)%n",
                v.genuine().count(),
                v.genuine().mean(),
                v.genuine().min(),
                v.impostor().count(),
                v.impostor().mean(),
                v.impostor().max());
        for (var t : v.tarAtFar()) {
            System.out.printf(
                    Locale.ROOT,
                    "TAR@FAR %s: %.3f (threshold %.3f; FAR could be up to %.4f with this many"
                            + " impostors)%n",
                    t.far(),
                    t.tar(),
                    t.threshold(),
                    t.farUpper95());
        }
        System.out.printf(Locale.ROOT, "EER: %.3f at %.3f%n", v.eer().value(), v.eer().threshold());
        if (r.openSet() != null) {
            System.out.printf(
                    Locale.ROOT,
                    "decision: %s; closed-set rank-1: %.3f%n",
                    r.settings().decision(),
                    r.openSet().closedSetRank1());
            System.out.printf(
                    "%9s %7s %9s %9s %10s%n",
                    "THRESHOLD", "RANK-1", "REJECTED", "WRONG-ID", "STRANGER-FA");
            double current = r.settings().currentThreshold();
            for (OpenSetRates o : r.openSet().candidates()) {
                System.out.printf(
                        Locale.ROOT,
                        "%9.3f %7.3f %9.3f %9.3f %10.3f%s%n",
                        o.threshold(),
                        o.rank1(),
                        o.falseRejectRate(),
                        o.misidentificationRate(),
                        o.strangerFalseAcceptRate(),
                        (float) o.threshold() == (float) current ? "  <- current" : "");
            }
        }
        if (r.decisionRules() != null) {
            decisionRules(r);
        }
        var rec = r.recommendation();
        System.out.printf(
                Locale.ROOT,
                "recommended threshold for FAR %s: %.3f (TAR %.3f; %d of %d impostor pairs"
                        + " accepted; 95%% upper bound on FAR %.4f: %s)%n",
                rec.targetFar(),
                rec.threshold(),
                rec.tar(),
                rec.falseAccepts(),
                rec.impostorPairs(),
                rec.farUpper95(),
                rec.confident() ? "confident" : "not confident, see the note above");
    }

    static void failures(List<EvalFailure> failures) {
        for (EvalFailure f : failures) {
            System.out.printf(
                    "  failed %s [%s]: %s%n",
                    GalleryCommand.shown(f.file()), f.reason(), GalleryCommand.shown(f.message()));
        }
    }

    private static void decisionRules(EvalReport r) {
        System.out.printf(
                Locale.ROOT,
                "decision rules (rank-1 and stranger accepts at %.3f; simulated strangers are"
                        + " enrolled probes with their own identity removed):%n",
                r.settings().currentThreshold());
        System.out.printf(
                "%-10s %6s %8s %8s %8s %7s %7s %12s %10s %8s%n",
                "SCORING",
                "MARGIN",
                "GEN-MIN",
                "IMP-MAX",
                "GAP",
                "RANK-1",
                "STR-FA",
                "SIM-STR-FA",
                "ZERO-FA-AT",
                "RANK-1@");
        for (var d : r.decisionRules()) {
            System.out.printf(
                    Locale.ROOT,
                    "%-10s %6.2f %8.3f %8.3f %8.3f %7.3f %7.3f %5d / %-4d %10.3f %8.3f%n",
                    d.scoring().name().toLowerCase(Locale.ROOT),
                    d.minIdentityMargin(),
                    d.genuineMin(),
                    d.impostorMax(),
                    d.genuineMin() - d.impostorMax(),
                    d.atCurrent().rank1(),
                    d.atCurrent().strangerFalseAcceptRate(),
                    d.simulatedStrangersAccepted(),
                    d.simulatedStrangers(),
                    d.zeroFalseAcceptThreshold(),
                    d.rank1AtZeroFalseAccept());
        }
    }
}
