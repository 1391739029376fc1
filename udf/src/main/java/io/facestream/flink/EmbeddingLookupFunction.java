package io.facestream.flink;

import io.facestream.schema.internal.FaceEmbedding;
import io.facestream.schema.internal.FaceMatches;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.streaming.api.functions.async.CollectionSupplier;
import org.apache.flink.streaming.api.functions.async.ResultFuture;

/**
 * The gallery lookup, with each face's embedding carried on its {@link FaceMatches}: what {@link
 * TrackAssembler} needs to build a track's template for unknown pseudonyms. Used only when they are
 * enabled ({@code unknowns.enabled}), so the embedding does not travel twice otherwise.
 */
public class EmbeddingLookupFunction extends GalleryLookupFunction {

    public EmbeddingLookupFunction(LookupSettings settings) {
        super(settings);
    }

    @Override
    public void asyncInvoke(FaceEmbedding face, ResultFuture<FaceMatches> result) {
        super.asyncInvoke(face, withEmbedding(face, result));
    }

    @Override
    public void timeout(FaceEmbedding face, ResultFuture<FaceMatches> result) {
        super.timeout(face, withEmbedding(face, result));
    }

    private static ResultFuture<FaceMatches> withEmbedding(
            FaceEmbedding face, ResultFuture<FaceMatches> result) {
        return new ResultFuture<>() {
            @Override
            public void complete(Collection<FaceMatches> matches) {
                List<FaceMatches> out = new ArrayList<>(matches.size());
                for (FaceMatches m : matches) {
                    m.setEmbedding(face.getEmbedding());
                    out.add(m);
                }
                result.complete(out);
            }

            @Override
            public void completeExceptionally(Throwable error) {
                result.completeExceptionally(error);
            }

            @Override
            public void complete(CollectionSupplier<FaceMatches> supplier) {
                result.complete(
                        () -> {
                            Collection<FaceMatches> matches = supplier.get();
                            matches.forEach(m -> m.setEmbedding(face.getEmbedding()));
                            return matches;
                        });
            }
        };
    }
}
