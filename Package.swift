// swift-tools-version:6.0
import PackageDescription

// Layers, each depending only on the ones above it in this list:
//   NumeralValues       plain shared values: recognitions, input types, report values (no dependencies)
//   NumeralEngine       tensors, layers, training, model files (knows no images)
//   NumeralVision       strokes, pictures, datasets -> 28x28 model input (knows no windows)
//   NumeralRecognition  the digit model: architecture, training pipeline, recognizer
//   NumeralCapture      camera and video frames through GStreamer (knows no model, no SDL)
//   NumeralStore        the prediction log (SQLite or PostgreSQL behind one protocol) and analytics (knows no SDL)
//   NumeralImprovement  model versions and fine-tuning from the log's corrections
//   NumeralUI           plain-value UI state and its pure reducer (knows no SDL)
//   NumeralReport       PDF reports, explanation and training-curves pictures drawn with Cairo (knows no SDL)
//   NumeralSession      a running session for any front end: runner, effects, services (knows no SDL)
//   NumeralServer       HTTP API and browser page (Hummingbird; knows no SDL)
//   NumeralApp          SDL2 window: translates SDL events, draws the UI state
//   numeral             thin command line over all of the above
let package = Package(
    name: "Numeral",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "numeral", targets: ["numeral"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // C libraries, each wrapped once in Swift by the target that uses it.
        .systemLibrary(name: "CCBLAS", path: "Sources/CCBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL",
                       providers: [.apt(["libdnnl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng16",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CSDL2", path: "Sources/CSDL2", pkgConfig: "sdl2",
                       providers: [.apt(["libsdl2-dev", "libsdl2-ttf-dev"])]),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg",
                       providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CGStreamer", path: "Sources/CGStreamer", pkgConfig: "gstreamer-app-1.0",
                       providers: [.apt(["libgstreamer1.0-dev", "libgstreamer-plugins-base1.0-dev"])]),
        .systemLibrary(name: "CFontconfig", path: "Sources/CFontconfig", pkgConfig: "fontconfig",
                       providers: [.apt(["libfontconfig-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
                       providers: [.apt(["libcairo2-dev"])]),

        // Bounds checks and preconditions stay on in every configuration (no -Ounchecked): the hot
        // loops run on unsafe buffer pointers and explicit SIMD lanes instead (README, "The engine").
        // Debug builds (and so the tests) still optimize these two with -O, which keeps every check,
        // so that the suite's training and accuracy tests run at a usable speed.
        .target(name: "NumeralEngine", dependencies: ["CCBLAS", "CDNNL"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "NumeralVision", dependencies: ["NumeralValues", "CPNG", "CZlib", "CTurboJPEG"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "NumeralRecognition", dependencies: ["NumeralEngine", "NumeralValues", "NumeralVision"]),
        // Camera and video frames through GStreamer (no SDL, no model).
        .target(name: "NumeralCapture", dependencies: ["CGStreamer"]),
        // Plain values every layer shares: a recognition, input types, report values (no dependencies).
        .target(name: "NumeralValues"),
        .target(name: "NumeralStore", dependencies: [
            "NumeralValues", "NumeralVision",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "NumeralImprovement", dependencies: ["NumeralEngine", "NumeralRecognition", "NumeralStore", "NumeralValues", "NumeralVision"]),
        // PDF reports and explanation pictures drawn with Cairo (no SDL).
        .target(name: "NumeralReport", dependencies: ["CCairo", "NumeralStore", "NumeralRecognition", "NumeralUI", "NumeralVision"]),
        .target(name: "NumeralUI", dependencies: [
            "NumeralValues", "NumeralVision",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // A running session without SDL: the runner, effects, recognition and log services.
        .target(name: "NumeralSession", dependencies: [
            "NumeralUI", "NumeralRecognition", "NumeralStore", "NumeralVision", "NumeralImprovement", "NumeralReport",
            "NumeralCapture", "NumeralEngine",
        ]),
        .target(name: "NumeralApp", dependencies: [
            "CSDL2", "CFontconfig", "NumeralSession", "NumeralUI", "NumeralRecognition", "NumeralStore", "NumeralVision",
        ]),
        // HTTP API and browser page over the recognizer, log and model versions (no SDL).
        .target(name: "NumeralServer", dependencies: [
            "NumeralRecognition", "NumeralSession", "NumeralStore", "NumeralImprovement", "NumeralVision", "NumeralValues",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["Web/Static"]),
        .executableTarget(name: "numeral", dependencies: [
            "NumeralApp", "NumeralSession", "NumeralServer", "NumeralRecognition", "NumeralStore", "NumeralVision", "NumeralEngine", "NumeralImprovement", "NumeralReport",
            "NumeralCapture",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        .testTarget(name: "NumeralEngineTests", dependencies: ["NumeralEngine"]),
        .testTarget(name: "NumeralVisionTests", dependencies: ["NumeralVision", "CZlib"]),
        .testTarget(name: "NumeralCaptureTests", dependencies: ["NumeralCapture"]),
        .testTarget(name: "NumeralRecognitionTests", dependencies: ["NumeralRecognition", "NumeralEngine", "NumeralVision"]),
        .testTarget(name: "NumeralStoreTests", dependencies: [
            "NumeralStore", "NumeralVision", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "NumeralImprovementTests", dependencies: [
            "NumeralImprovement", "NumeralRecognition", "NumeralStore", "NumeralVision", "NumeralEngine",
        ]),
        .testTarget(name: "NumeralReportTests", dependencies: ["NumeralReport", "NumeralRecognition", "NumeralStore", "NumeralUI", "NumeralVision"]),
        .testTarget(name: "NumeralUITests", dependencies: ["NumeralUI", "NumeralVision"]),
        .testTarget(name: "NumeralAppTests", dependencies: [
            "NumeralApp", "NumeralSession", "NumeralImprovement", "NumeralRecognition", "NumeralStore", "NumeralUI", "NumeralVision", "CSDL2",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "NumeralServerTests", dependencies: [
            "NumeralServer", "NumeralSession", "NumeralStore", "NumeralVision", "NumeralRecognition", "NumeralImprovement", "NumeralEngine",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // Runs the built `numeral` binary end to end, as a user would.
        .testTarget(name: "NumeralCLITests", dependencies: ["NumeralVision", "NumeralRecognition", "NumeralStore"]),
        // Seeded mutation fuzzing of every reader of outside files (NUMERAL_FUZZ_SECONDS, default 60).
        .testTarget(name: "NumeralFuzzTests", dependencies: ["NumeralEngine", "NumeralVision", "NumeralRecognition", "NumeralStore", "CZlib"]),
    ],
    swiftLanguageModes: [.v5]
)
