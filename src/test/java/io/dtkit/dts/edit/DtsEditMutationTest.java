package io.dtkit.dts.edit;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the fixture sources (cut bytes, stray punctuation, truncation): opening
 * and editing must either work or fail with {@link DtsEditException} - never another exception.
 */
class DtsEditMutationTest {
    private static final String NOISE = "{};=<>\"'/*#&:@\\\n\r\t []()/delete-node/ &{/x}";

    @Test
    void mutatedSourcesOnlyEverFailWithTheDocumentedException() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("fixtures/dtsedit"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".dts") || p.toString().endsWith(".dtsi")).sorted().toList()) {
                seeds.add(Files.readAllBytes(p));
            }
        }
        if (Boolean.getBoolean("dtkit.dtsedit.mutationCorpus")) {
            Path src = io.dtkit.testsupport.Shared.resolve("corpus/linux-arm64/src/arm64");
            try (Stream<Path> s = Files.walk(src)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".dts") || p.toString().endsWith(".dtsi"))
                        .sorted().limit(60).toList()) {
                    seeds.add(Files.readAllBytes(p));
                }
            }
        }
        Random rnd = new Random(20261124L);
        int runs = Integer.getInteger("dtkit.dtsedit.mutations", 3000);
        for (int i = 0; i < runs; i++) {
            byte[] base = seeds.get(rnd.nextInt(seeds.size()));
            byte[] m = mutate(base, rnd);
            try {
                DtsSourceEditor ed = DtsSourceEditor.of(Path.of("fixtures/dtsedit/m.dts"), m, List.of(Path.of("fixtures/dtsedit")));
                ed.allowOverrideBlock(rnd.nextBoolean());
                tryEdit(() -> ed.setProperty("/chosen", "bootargs", "\"x\""));
                tryEdit(() -> ed.deleteProperty("/", "model"));
                tryEdit(() -> ed.addNode("/", "n" + rnd.nextInt(3)));
                tryEdit(() -> ed.deleteNode("&uart0"));
                tryEdit(() -> ed.setProperty("serial0", "status", "\"okay\""));
            } catch (DtsEditException expected) {
                // fine: a documented refusal
            } catch (RuntimeException | StackOverflowError e) {
                fail("run " + i + ": " + e + "\n--- input ---\n" + new String(m, java.nio.charset.StandardCharsets.ISO_8859_1), e);
            }
        }
    }

    private interface Edit {
        void run() throws DtsEditException;
    }

    private static void tryEdit(Edit e) {
        try {
            e.run();
        } catch (DtsEditException expected) {
            // refusals are fine
        }
    }

    private static byte[] mutate(byte[] b, Random rnd) {
        StringBuilder s = new StringBuilder(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n && s.length() > 0; k++) {
            int at = rnd.nextInt(s.length());
            switch (rnd.nextInt(4)) {
                case 0 -> s.delete(at, Math.min(s.length(), at + 1 + rnd.nextInt(8)));
                case 1 -> s.insert(at, NOISE.charAt(rnd.nextInt(NOISE.length())));
                case 2 -> s.setLength(at);
                default -> {
                    int from = rnd.nextInt(NOISE.length() - 3);
                    s.insert(at, NOISE, from, from + 3);
                }
            }
        }
        return s.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
