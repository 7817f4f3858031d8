package io.dtkit.bench;

import io.dtkit.dts.CompileOptions;
import io.dtkit.dts.DtsCompiler;
import io.dtkit.model.DeviceTree;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** In-process compile time of one preprocessed corpus board, JIT warmed up. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBench {
    @Param({"arm64__arm__juno"})
    public String board;

    private Path source;
    private CompileOptions options;

    @Setup
    public void setup() {
        Path corpus = Path.of(System.getProperty("dtkit.shared", "../shared"), "corpus/linux-arm64");
        source = corpus.resolve("expected/" + board + ".pp.dts");
        options = CompileOptions.defaults().withIncludeDirs(List.of(corpus.resolve("src/arm64/arm")));
    }

    @Benchmark
    public DeviceTree compileBoard() throws Exception {
        return DtsCompiler.compile(source, options).tree();
    }
}
