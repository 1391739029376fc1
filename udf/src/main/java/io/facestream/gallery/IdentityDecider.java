package io.facestream.gallery;

import io.facestream.schema.Candidate;
import io.facestream.schema.MatchStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides who each face of one image is, from each face's top-k gallery matches. Pure: no I/O.
 *
 * <ol>
 *   <li>Per face, the best entry decides: its cosine similarity must be at least {@code
 *       minSimilarity} (higher = stricter) for MATCHED, else the face is UNKNOWN.
 *   <li>When entries of several identities tie for best (within {@value #TIE_TOLERANCE}), the
 *       identity with more entries among the top-k wins; then the higher mean similarity of those
 *       entries; then the name, so the outcome never depends on reply order.
 *   <li>Across the faces of one image, an identity goes to one face only: the more similar face
 *       keeps it and the others become UNKNOWN, unless they clear {@code minSimilarity +
 *       sameIdentityMargin} too (a photo within the photo, a mirror). The default margin is
 *       infinite: one person appears once per image.
 *   <li>Optionally (the margin rule, {@code minIdentityMargin} &gt; 0): the decided identity's
 *       similarity must exceed the best other identity's among the top-k by at least {@code
 *       minIdentityMargin}, else the face is UNKNOWN: a face about as close to two people is not
 *       claimed for either. With only one identity among the top-k the rule does not apply. The
 *       default 0 turns it off (see {@code docs/accuracy.md} for what it was measured to do).
 * </ol>
 */
public final class IdentityDecider {
    public static final float TIE_TOLERANCE = 1e-6f;

    private final float minSimilarity;
    private final float sameIdentityMargin;
    private final float minIdentityMargin;

    public IdentityDecider(float minSimilarity) {
        this(minSimilarity, Float.POSITIVE_INFINITY);
    }

    public IdentityDecider(float minSimilarity, float sameIdentityMargin) {
        this(minSimilarity, sameIdentityMargin, 0f);
    }

    /**
     * @param minSimilarity cosine in [-1, 1] the decided identity's best entry must reach
     * @param sameIdentityMargin how far above {@code minSimilarity} two faces of one image must
     *     both be to share an identity (infinite: never)
     * @param minIdentityMargin how far the decided identity must be above the second-best identity
     *     (0: no such rule)
     */
    public IdentityDecider(float minSimilarity, float sameIdentityMargin, float minIdentityMargin) {
        if (!(minSimilarity >= -1 && minSimilarity <= 1)) {
            throw new IllegalArgumentException(
                    "minSimilarity is a cosine in [-1, 1], was " + minSimilarity);
        }
        if (!(sameIdentityMargin >= 0)) {
            throw new IllegalArgumentException(
                    "sameIdentityMargin must be >= 0 (infinite = never), was "
                            + sameIdentityMargin);
        }
        if (!(minIdentityMargin >= 0 && minIdentityMargin <= 2)) {
            throw new IllegalArgumentException(
                    "minIdentityMargin is a cosine difference in [0, 2] (0 = off), was "
                            + minIdentityMargin);
        }
        this.minSimilarity = minSimilarity;
        this.sameIdentityMargin = sameIdentityMargin;
        this.minIdentityMargin = minIdentityMargin;
    }

    public float minSimilarity() {
        return minSimilarity;
    }

    public float minIdentityMargin() {
        return minIdentityMargin;
    }

    /** One decision per face, in the order of {@code topKPerFace}. */
    public List<Decision> decide(List<List<Match>> topKPerFace) {
        List<Decision> decisions = new ArrayList<>(topKPerFace.size());
        Map<String, Integer> holder = new HashMap<>();
        for (List<Match> topK : topKPerFace) {
            decisions.add(decideFace(topK));
        }
        for (int face = 0; face < decisions.size(); face++) {
            Decision d = decisions.get(face);
            if (!d.matched()) {
                continue;
            }
            Integer other = holder.putIfAbsent(d.identity(), face);
            if (other == null) {
                continue;
            }
            // Equal similarity: the earlier face keeps it, so the outcome is deterministic.
            boolean thisWins = d.similarity() > decisions.get(other).similarity();
            int loser = thisWins ? other : face;
            if (thisWins) {
                holder.put(d.identity(), face);
            }
            if (decisions.get(loser).similarity() < minSimilarity + sameIdentityMargin) {
                decisions.set(loser, decisions.get(loser).unknown());
            }
        }
        return decisions;
    }

    /** The decision for a single face, ignoring the other faces of its image. */
    public Decision decideFace(List<Match> topK) {
        if (topK.isEmpty()) {
            return new Decision(MatchStatus.UNKNOWN, null, Float.NaN, List.of());
        }
        // Per identity: best similarity, entry count and similarity sum among the top-k.
        Map<String, float[]> stats = new LinkedHashMap<>();
        for (Match m : topK) {
            float[] s = stats.computeIfAbsent(m.identity(), id -> new float[] {-2, 0, 0});
            s[0] = Math.max(s[0], m.similarity());
            s[1] += 1;
            s[2] += m.similarity();
        }
        List<Candidate> candidates = new ArrayList<>();
        stats.forEach((id, s) -> candidates.add(new Candidate(id, s[0])));
        candidates.sort(
                Comparator.comparing(Candidate::getSimilarity)
                        .reversed()
                        .thenComparing(Candidate::getIdentity));

        float best = candidates.get(0).getSimilarity();
        Comparator<String> vote =
                Comparator.<String>comparingDouble(id -> stats.get(id)[1])
                        .thenComparingDouble(id -> stats.get(id)[2] / stats.get(id)[1])
                        .reversed()
                        .thenComparing(Comparator.naturalOrder());
        String winner =
                candidates.stream()
                        .filter(c -> c.getSimilarity() >= best - TIE_TOLERANCE)
                        .map(Candidate::getIdentity)
                        .min(vote)
                        .orElseThrow();
        float similarity = stats.get(winner)[0];
        return similarity >= minSimilarity && clearsRunnerUp(winner, similarity, candidates)
                ? new Decision(MatchStatus.MATCHED, winner, similarity, candidates)
                : new Decision(MatchStatus.UNKNOWN, null, best, candidates);
    }

    private boolean clearsRunnerUp(String winner, float similarity, List<Candidate> candidates) {
        if (minIdentityMargin <= 0) {
            return true;
        }
        for (Candidate c : candidates) {
            if (!c.getIdentity().equals(winner)) {
                // candidates are most similar first: the first other one is the runner-up
                return similarity - c.getSimilarity() >= minIdentityMargin;
            }
        }
        return true;
    }
}
