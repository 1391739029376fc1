package io.facestream.identify;

import io.facestream.detect.Face;
import io.facestream.schema.Box;
import io.facestream.schema.FaceIdentity;
import io.facestream.schema.Point;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * Builds {@link FaceIdentity} records (the identity stream's contract) from identified faces, and
 * renders any Avro record as plain JSON-ready maps with the schema's field names (Avro's own JSON
 * encoding wraps unions as {"string": ...}, which scripts should not have to unwrap).
 */
public final class FaceIdentities {
    private FaceIdentities() {}

    public static FaceIdentity toRecord(
            IdentifiedFace f,
            int facesInFrame,
            String cameraId,
            long sequence,
            long timestamp,
            String gallery,
            String detectorModel,
            String embedderModel,
            long ingestTime) {
        Face face = f.face().face();
        List<Point> landmarks = new ArrayList<>(5);
        for (int k = 0; k < 5; k++) {
            landmarks.add(new Point(face.lx(k), face.ly(k)));
        }
        var d = f.decision();
        return FaceIdentity.newBuilder()
                .setCameraId(cameraId)
                .setFrameSequence(sequence)
                .setTimestamp(java.time.Instant.ofEpochMilli(timestamp))
                .setFaceIndex(f.face().index())
                .setFacesInFrame(facesInFrame)
                .setBox(new Box(face.x1(), face.y1(), face.x2(), face.y2()))
                .setLandmarks(landmarks)
                .setDetectionScore(face.score())
                .setStatus(d.status())
                .setIdentity(d.identity())
                .setSimilarity(Float.isNaN(d.similarity()) ? null : d.similarity())
                .setCandidates(d.topCandidates())
                .setGallery(gallery)
                .setDetectorModel(detectorModel)
                .setEmbedderModel(embedderModel)
                .setIngestTime(java.time.Instant.ofEpochMilli(ingestTime))
                .setEmitTime(java.time.Instant.now())
                .build();
    }

    /** The record as nested maps/lists/strings/numbers, field names as in the schema. */
    public static Object toPlain(Object value) {
        if (value instanceof IndexedRecord r) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Schema.Field field : r.getSchema().getFields()) {
                m.put(field.name(), toPlain(r.get(field.pos())));
            }
            return m;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(toPlain(o));
            }
            return out;
        }
        if (value instanceof Enum<?>
                || value instanceof GenericEnumSymbol<?>
                || value instanceof CharSequence) {
            return value.toString();
        }
        if (value instanceof java.time.Instant t) {
            return t.toEpochMilli();
        }
        if (value instanceof ByteBuffer b) {
            return java.util.Base64.getEncoder()
                    .encodeToString(
                            GenericData.get()
                                    .deepCopy(Schema.create(Schema.Type.BYTES), b)
                                    .array());
        }
        return value;
    }
}
