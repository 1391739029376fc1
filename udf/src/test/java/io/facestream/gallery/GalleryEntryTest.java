package io.facestream.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import io.facestream.embed.Vectors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GalleryEntryTest {
    private static final byte[] PHOTO = "jpeg bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void theEntryIdIsAStableContentHashOfPhotoAndBox() {
        String id = GalleryEntry.entryId(PHOTO, 10, 20, 110, 140);

        assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
        // Float noise from another run of the detector does not change it...
        assertThat(GalleryEntry.entryId(PHOTO, 10.2f, 19.9f, 110.4f, 139.6f)).isEqualTo(id);
        // ...another face of the same photo, or another photo, does.
        assertThat(GalleryEntry.entryId(PHOTO, 200, 20, 300, 140)).isNotEqualTo(id);
        assertThat(GalleryEntry.entryId("other".getBytes(StandardCharsets.UTF_8), 10, 20, 110, 140))
                .isNotEqualTo(id);
    }

    @Test
    void cosineOfNormalisedVectorsIsTheirDotProduct() {
        float[] a = Vectors.normalize(new float[] {3, 4});
        float[] b = {1, 0};

        assertThat(Vectors.cosine(a, b))
                .isCloseTo(0.6, org.assertj.core.api.Assertions.within(1e-7));
        assertThat(VectorBlobs.toFp32(new float[] {1f})).containsExactly(0, 0, (byte) 0x80, 0x3f);
    }
}
