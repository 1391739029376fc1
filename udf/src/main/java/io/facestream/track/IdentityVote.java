package io.facestream.track;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Track-level identity: a weighted vote over one track's per-face decisions (a gallery name, or
 * UNKNOWN). Each decision adds its weight (the caller folds face quality and detection score into
 * it) to its option. A name becomes the track's identity once it has won at least {@link
 * VoteSettings#minWins()} decisions and leads the vote: more weight than every other name and than
 * UNKNOWN. From then on the name is kept: UNKNOWN decisions (a face turned away) do not take it
 * away, and another name takes over only when its weight exceeds the holder's times {@link
 * VoteSettings#switchRatio()} (and it has minWins wins), so a couple of contrary decisions never
 * flip a track between two people. Names are kept in a sorted map and ties go to the name first in
 * order, so the result does not depend on hash ordering.
 */
public final class IdentityVote {
    private static final byte SNAPSHOT_VERSION = 1;

    private final VoteSettings settings;
    private final TreeMap<String, Tally> names = new TreeMap<>();
    private double unknownWeight;
    private float bestOverall = Float.NaN;
    private String holder;
    private int decisions;

    private static final class Tally {
        double weight;
        int wins;
        float bestSimilarity = Float.NaN;
    }

    public IdentityVote(VoteSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Adds one face's decision.
     *
     * @param identity the gallery name the face was matched to, null when it was UNKNOWN
     * @param similarity the cosine similarity of the face's best match, NaN when there was none
     * @param weight the decision's weight, positive and finite (e.g. quality × detection score)
     */
    public void add(String identity, float similarity, float weight) {
        if (!(weight > 0f) || Float.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be positive and finite, was " + weight);
        }
        decisions++;
        bestOverall = max(bestOverall, similarity);
        if (identity == null) {
            unknownWeight += weight;
        } else {
            Tally t = names.computeIfAbsent(identity, k -> new Tally());
            t.weight += weight;
            t.wins++;
            t.bestSimilarity = max(t.bestSimilarity, similarity);
        }
        reconsider();
    }

    private void reconsider() {
        String leader = null;
        double leaderWeight = 0;
        double runnerUpWeight = 0;
        for (Map.Entry<String, Tally> e : names.entrySet()) {
            double w = e.getValue().weight;
            if (leader == null || w > leaderWeight) {
                runnerUpWeight = leaderWeight;
                leader = e.getKey();
                leaderWeight = w;
            } else if (w > runnerUpWeight) {
                runnerUpWeight = w;
            }
        }
        if (leader == null
                || leader.equals(holder)
                || names.get(leader).wins < settings.minWins()) {
            return;
        }
        if (holder == null) {
            if (leaderWeight > runnerUpWeight && leaderWeight > unknownWeight) {
                holder = leader;
            }
        } else if (leaderWeight > names.get(holder).weight * settings.switchRatio()) {
            holder = leader;
        }
    }

    /**
     * Drops every decision for {@code identity} (deleted from the gallery, or taken off the lists
     * the camera matches): it can no longer be the track's identity unless new decisions name it
     * again. The vote then falls to whoever leads the remaining decisions.
     */
    public void forget(String identity) {
        if (names.remove(identity) == null) {
            return;
        }
        if (identity.equals(holder)) {
            holder = null;
        }
        reconsider();
    }

    /**
     * Drops the UNKNOWN decisions: they were made against a gallery that has since changed (someone
     * enrolled), so they no longer count against a name.
     */
    public void forgetUnknown() {
        unknownWeight = 0;
        reconsider();
    }

    /** The names with at least one decision, sorted. */
    public java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(names.keySet());
    }

    /** The track's identity, null while no name has won the vote. */
    public String identity() {
        return holder;
    }

    /**
     * Best similarity seen for the current identity, or over all decisions when none; NaN if none.
     */
    public float bestSimilarity() {
        return holder == null ? bestOverall : names.get(holder).bestSimilarity;
    }

    /** Decisions added so far. */
    public int decisions() {
        return decisions;
    }

    /** The whole vote, deterministic bytes. */
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * names.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(SNAPSHOT_VERSION);
            out.writeInt(decisions);
            out.writeDouble(unknownWeight);
            out.writeFloat(bestOverall);
            out.writeBoolean(holder != null);
            if (holder != null) {
                out.writeUTF(holder);
            }
            out.writeInt(names.size());
            for (Map.Entry<String, Tally> e : names.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue().weight);
                out.writeInt(e.getValue().wins);
                out.writeFloat(e.getValue().bestSimilarity);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The vote that took {@code snapshot}.
     *
     * @throws IllegalArgumentException when the bytes are not a vote snapshot of this version
     */
    public static IdentityVote restore(VoteSettings settings, byte[] snapshot) {
        IdentityVote v = new IdentityVote(settings);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            byte version = in.readByte();
            if (version != SNAPSHOT_VERSION) {
                throw new IllegalArgumentException(
                        "identity vote snapshot version "
                                + version
                                + ", expected "
                                + SNAPSHOT_VERSION);
            }
            v.decisions = in.readInt();
            v.unknownWeight = in.readDouble();
            v.bestOverall = in.readFloat();
            v.holder = in.readBoolean() ? in.readUTF() : null;
            int count = in.readInt();
            for (int k = 0; k < count; k++) {
                Tally t = new Tally();
                String name = in.readUTF();
                t.weight = in.readDouble();
                t.wins = in.readInt();
                t.bestSimilarity = in.readFloat();
                v.names.put(name, t);
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("identity vote snapshot has trailing bytes");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated identity vote snapshot", e);
        }
        if (v.holder != null && !v.names.containsKey(v.holder)) {
            throw new IllegalArgumentException("identity vote snapshot names an unknown holder");
        }
        return v;
    }

    /** Max that ignores NaN (no similarity) on either side. */
    private static float max(float a, float b) {
        if (Float.isNaN(a)) {
            return b;
        }
        return Float.isNaN(b) ? a : Math.max(a, b);
    }
}
