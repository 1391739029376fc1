/**
 * Faces as tracks: a pure, deterministic per-camera tracker ({@link
 * io.facestream.track.FaceTracker}) built from small parts (Kalman motion model, gated Hungarian
 * association, lifecycle, embedding schedule), and the track-level identity vote ({@link
 * io.facestream.track.IdentityVote}). No Flink here: the operator orders frames per camera and
 * keeps the snapshots in its state.
 */
package io.facestream.track;
