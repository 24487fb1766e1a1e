import ArgumentParser
import Dispatch
import Foundation
import NumeralEngine
import NumeralRecognition
import NumeralVision

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure prediction latency, throughput, model loading and memory.",
        discussion: "Build with `swift build -c release` (or `make bench`) first: debug builds are several times slower.")

    @OptionGroup var mnist: MNISTOptions
    @OptionGroup var model: ModelOptions
    @Option(help: "Pen digits JSON for the drawing-to-prediction benchmark (default: $NUMERAL_PENDIGITS).") var penDigits: String?
    @Option(help: "Predictions per measurement.") var count = 2000
    @Option(help: "baseline: time the Keras MNIST CNN of the apps Numeral replaces (untrained weights; speed does not depend on them) instead of a trained model.")
    var arch: DigitArchitecture.Family = .standard
    @Option(help: "Images for the training-throughput measurement (0 skips it).") var trainImages = 3072
    @Option(help: "Batch size for the training-throughput measurement.") var trainBatch = 64
    @Flag(help: "One JSON object on stdout.") var json = false

    func run() throws {
        do {
            try measure()
        } catch {
            throw failWithMessage(error)
        }
    }

    private func measure() throws {
        var results: [(String, String, Double)] = []   // key, label, value
        var t = DispatchTime.now()
        let digitModel: DigitModel
        if arch == .baseline && model.path == nil {
            digitModel = DigitModel(card: ModelCard(id: "keras-baseline (untrained)", architecture: .baseline))
        } else {
            digitModel = try DigitModel.load(weightsPath: try model.locate())
            results.append(("model_load_ms", "Load model (ms)", ms(since: t)))
        }
        EngineThreads.configure()
        let recognizer = Recognizer(model: digitModel)
        if arch != .baseline || model.path != nil {  // drawings with the pen-trajectory model, pictures with the picture model, as in the app
            recognizer.trajectoryModel = try model.locator().trajectoryPath(besideImageModel: try model.locate())
                .map(PenTrajectoryModel.load(weightsPath:))
            recognizer.pictureModel = try model.locator().picturePath(besideImageModel: try model.locate())
                .map(DigitModel.load(weightsPath:))
        }

        // Without MNIST (or pen digits) the speed and memory figures are measured on seeded
        // synthetic digits instead: the timings do not depend on what the digits are.
        var skipped: [String] = []
        var mnistProblem: String?
        let images: LabeledImages
        var glyphs: [DigitGlyph] = []
        do {
            let test = try MNISTDataset.load(directory: mnist.resolved, split: .test)
            images = TrainingData.mnist(test.prefix(max(count, 1)))
            glyphs = (0..<min(400, test.count)).map { DigitGlyph(mnist: test.grayImage(at: $0), label: Int(test.labels[$0])) }
        } catch {
            mnistProblem = "\(error)"
            images = SyntheticDigits.images(count: max(count, 1))
            skipped.append("MNIST test images: not found (\(error)); latency and memory use \(images.count) synthetic digits instead. "
                + "`numeral data fetch` puts MNIST in the data directory.")
        }
        var latencies: [Double] = []
        for i in 0..<min(200, images.count) { _ = digitModel.predict(Array(images.image(i))) }   // warm-up
        for i in 0..<images.count {
            let pixels = Array(images.image(i))
            t = DispatchTime.now()
            _ = digitModel.predict(pixels)
            latencies.append(ms(since: t))
        }
        latencies.sort()
        results.append(("predict_p50_ms", "Predict one 28×28 image, p50 (ms)", percentile(latencies, 0.5)))
        results.append(("predict_p95_ms", "Predict one 28×28 image, p95 (ms)", percentile(latencies, 0.95)))
        results.append(("predict_p99_ms", "Predict one 28×28 image, p99 (ms)", percentile(latencies, 0.99)))

        t = DispatchTime.now()
        _ = digitModel.predictBatch(images)
        let batchSeconds = ms(since: t) / 1000
        results.append(("batch_images_per_s", "Batch throughput (images/s, all cores)", Double(images.count) / batchSeconds))

        // Explaining one digit: one forward pass, the winner's and the runner-up's input gradients, feature maps.
        let explainer = try Explainer(model: digitModel)
        var explainLatencies: [Double] = []
        for i in 0..<min(1000, images.count) {
            let image = GrayImage(width: 28, height: 28, pixels: Array(images.image(i)))
            t = DispatchTime.now()
            _ = try explainer.explain(image: image)
            if i >= 50 { explainLatencies.append(ms(since: t)) }
        }
        explainLatencies.sort()
        results.append(("explain_p50_ms", "Explain one digit (winner + runner-up maps, feature maps), p50 (ms)", percentile(explainLatencies, 0.5)))
        results.append(("explain_p95_ms", "Explain one digit, p95 (ms)", percentile(explainLatencies, 0.95)))

        do {
            let drawings: [Drawing]
            if let penPath = PenDigitsLocation.resolve(penDigits) {
                drawings = try PenDigits.load(path: penPath).prefix(count).map(\.drawing)
            } else {
                drawings = SyntheticDigits.drawings(count: count)
                skipped.append("Pen digits: not found; the drawing → prediction figures use synthetic drawings. "
                    + "Give --pen-digits FILE or set NUMERAL_PENDIGITS.")
            }
            var drawingLatencies: [Double] = []
            for d in drawings.prefix(100) { _ = try? recognizer.recognize(d) }
            for d in drawings {
                t = DispatchTime.now()
                _ = try? recognizer.recognize(d)
                drawingLatencies.append(ms(since: t))
            }
            drawingLatencies.sort()
            results.append(("drawing_p50_ms", "Drawing → prediction (validate, split, normalize, predict), p50 (ms)", percentile(drawingLatencies, 0.5)))
            results.append(("drawing_p95_ms", "Drawing → prediction, p95 (ms)", percentile(drawingLatencies, 0.95)))
            results.append(("drawing_p99_ms", "Drawing → prediction, p99 (ms)", percentile(drawingLatencies, 0.99)))
            recognizer.testTimeAugmentation = TestTimeAugmentation()
            var ttaLatencies: [Double] = []
            for d in drawings.prefix(500) {
                t = DispatchTime.now()
                _ = try? recognizer.recognize(d)
                ttaLatencies.append(ms(since: t))
            }
            ttaLatencies.sort()
            results.append(("drawing_tta_p50_ms", "Drawing → prediction with test-time augmentation, p50 (ms)", percentile(ttaLatencies, 0.5)))
            recognizer.testTimeAugmentation = nil
        }

        if trainImages > 0, let mnistProblem {
            skipped.append("Training throughput: needs the MNIST training images (\(mnistProblem)).")
        } else if trainImages > 0 {
            let rate = try trainingThroughput(architecture: digitModel.card.architecture)
            results.append(("train_images_per_s", "Training throughput (images/s, batch \(trainBatch), augmented, both cores)", rate))
            results.append(("train_epoch_60k_s", "…as seconds per 60,000-image epoch (s)", 60_000 / rate))
        }

        // A 300×300 PNG through the picture path (decode, ink, segment, normalize, predict).
        let big = upscaledPNG(images, index: 0, side: 300)
        let pngPath = FileManager.default.temporaryDirectory.appendingPathComponent("numeral-bench-\(getpid()).png").path
        try PNGCodec.writeRGBA(path: pngPath, width: 300, height: 300, rgba: big)
        defer { try? FileManager.default.removeItem(atPath: pngPath) }
        var pngLatencies: [Double] = []
        for i in 0..<220 {
            t = DispatchTime.now()
            _ = try recognizer.recognize(pngAt: pngPath)
            if i >= 20 { pngLatencies.append(ms(since: t)) }
        }
        pngLatencies.sort()
        results.append(("png_p50_ms", "300×300 PNG file → prediction, p50 (ms)", percentile(pngLatencies, 0.5)))

        if glyphs.isEmpty {
            // Without MNIST the photos carry synthetic digits: the frame's cost is the same.
            glyphs = (0..<min(400, images.count)).map { DigitGlyph(mnist: GrayImage(width: 28, height: 28, pixels: Array(images.image($0))), label: 0) }
        }
        results += try photoFrames(recognizer: recognizer, glyphs: glyphs)

        // Memory after many predictions: resident set must stay flat.
        let before = ProcessMemory.residentMB()
        for i in 0..<10_000 { _ = digitModel.predict(Array(images.image(i % images.count))) }
        let after = ProcessMemory.residentMB()
        results.append(("rss_before_10k_mb", "Resident memory before 10,000 more predictions (MB)", before))
        results.append(("rss_after_10k_mb", "Resident memory after them (MB)", after))
        results.append(("peak_rss_mb", "Peak resident memory (MB; includes the loaded test and pen-digit sets)", ProcessMemory.peakMB()))

        if json {
            var object: [String: Any] = ["model": digitModel.id, "predictions": images.count, "skipped": skipped]
            object["blas_kernels"] = EngineThreads.blasKernels
            object["convolution_kernels"] = EngineThreads.convolutionKernels
            for (k, _, v) in results { object[k] = (v * 1000).rounded() / 1000 }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("Model \(digitModel.id) (\(digitModel.card.architecture.multiplyAccumulates / 1000) k multiply-adds per digit), "
                + "convolutions: \(EngineThreads.convolutionKernels), dense layers: OpenBLAS \(EngineThreads.blasKernels)")
            let width = results.map(\.1.count).max() ?? 0
            for (_, label, v) in results {
                print("  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "  %10.3f", v))
            }
            for note in skipped { print("  Skipped: \(note)") }
        }
    }

    /// 640×480 synthetic photo frames (MNIST test digits on paper, every condition) through the
    /// photo reader to boxes and readings, as a camera frame would go; and JPEG decoding of them.
    private func photoFrames(recognizer: Recognizer, glyphs: [DigitGlyph]) throws -> [(String, String, Double)] {
        var synthesizer = PhotoSynthesizer(seed: 99)
        let photos = try PhotoCondition.allCases.enumerated().map { index, condition in
            try synthesizer.make((0..<(1 + index % 4)).map { k in glyphs[(index * 13 + k * 101) % glyphs.count] }, condition: condition)
        }
        var frameLatencies: [Double] = [], decodeLatencies: [Double] = [], cameraLatencies: [Double] = []
        // The same photos as a camera's GRAY8 frames, read the way the app's camera view reads them.
        let grayFrames = photos.map { photo -> [UInt8] in
            let rgba = photo.image.rgba
            return (0..<(photo.image.width * photo.image.height)).map { i -> UInt8 in
                let r = Double(rgba[4 * i]), g = Double(rgba[4 * i + 1]), b = Double(rgba[4 * i + 2])
                let luma: Double = 0.299 * r + 0.587 * g + 0.114 * b
                return UInt8(luma.rounded())
            }
        }
        for round in 0..<40 {
            for (photo, gray) in zip(photos, grayFrames) {
                var t = DispatchTime.now()
                let decoded = try JPEGCodec.decode(data: photo.jpeg)
                if round > 0 { decodeLatencies.append(ms(since: t)) }
                t = DispatchTime.now()
                _ = recognizer.read(photo: decoded)
                if round > 0 { frameLatencies.append(ms(since: t)) }
                t = DispatchTime.now()
                _ = recognizer.read(photo: try DecodedImage(gray: gray, width: photo.image.width, height: photo.image.height))
                if round > 0 { cameraLatencies.append(ms(since: t)) }
            }
        }
        frameLatencies.sort()
        decodeLatencies.sort()
        cameraLatencies.sort()
        return [("photo_frame_p50_ms", "640×480 photo frame → boxes and readings, p50 (ms)", percentile(frameLatencies, 0.5)),
                ("photo_frame_p95_ms", "640×480 photo frame → boxes and readings, p95 (ms)", percentile(frameLatencies, 0.95)),
                ("camera_frame_p50_ms", "640×480 gray camera frame → boxes and readings (camera view), p50 (ms)", percentile(cameraLatencies, 0.5)),
                ("camera_frame_p95_ms", "640×480 gray camera frame → boxes and readings (camera view), p95 (ms)", percentile(cameraLatencies, 0.95)),
                ("jpeg_decode_p50_ms", "640×480 JPEG decode, p50 (ms)", percentile(decodeLatencies, 0.5))]
    }

    /// Trains a fresh copy of the architecture for one pass over `trainImages` MNIST images,
    /// with the same augmentation and optimizer as `numeral train`.
    private func trainingThroughput(architecture: DigitArchitecture) throws -> Double {
        let train = TrainingData.mnist(try MNISTDataset.load(directory: mnist.resolved, split: .train).prefix(trainImages))
        var config = TrainingConfiguration.full
        config.architecture = architecture
        config.epochs = 1
        config.batchSize = trainBatch
        config.recalibrateBatchNorm = false
        let model = DigitModel(card: ModelCard(id: "bench", architecture: architecture), network: architecture.build(seed: 1))
        let augmenter = DigitAugmenter()
        let trainer = try DigitTrainer(configuration: config, model: model, train: train, validation: LabeledImages(),
                                       augmentation: { s, d, r in augmenter.augment(s, into: d, using: &r) })
        let t = DispatchTime.now()
        _ = trainer.run()
        return Double(train.count) / (ms(since: t) / 1000)
    }

    private func ms(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e6 }

    private func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
    }

    /// An MNIST digit drawn dark on white at `side`×`side`, like a photographed or scanned digit.
    private func upscaledPNG(_ images: LabeledImages, index: Int, side: Int) -> [UInt8] {
        let img = Array(images.image(index))
        var rgba = [UInt8](repeating: 255, count: side * side * 4)
        for y in 0..<side {
            for x in 0..<side {
                let v = img[(y * 28 / side) * 28 + x * 28 / side]
                let g = UInt8(255 - v * 255)
                let i = (y * side + x) * 4
                rgba[i] = g; rgba[i + 1] = g; rgba[i + 2] = g
            }
        }
        return rgba
    }
}

enum ProcessMemory {
    static func residentMB() -> Double { statusField("VmRSS:") }
    static func peakMB() -> Double { statusField("VmHWM:") }

    private static func statusField(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
