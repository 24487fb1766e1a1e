import ArgumentParser
import Foundation
import NumeralCapture
import NumeralRecognition
import NumeralVision

struct CameraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "camera",
        abstract: "Read digits on paper from a camera or a recorded video, frame by frame.",
        discussion: """
        Frames come through GStreamer: a V4L2 camera (--device, default /dev/video0) or anything GStreamer can \
        decode (--source: a video file, a URI, or an image sequence like frames/%04d.jpg). Each frame goes through \
        the photo reader (the same as for JPEG photos). From a camera, frames that arrive while one is being read \
        are dropped, never queued; a file is read frame by frame.
        """)

    @OptionGroup var model: ModelOptions
    @Option(help: "V4L2 camera device.") var device: String?
    @Option(help: "A video file, URI or image sequence (printf pattern such as frames/%04d.jpg) instead of a camera.")
    var source: String?
    @Option(help: "Stop after this many frames (0 = until the stream ends).") var frames = 0
    @Option(help: "Seconds to wait for the source to start and for each frame.") var timeout = 10.0
    @Flag(help: "One JSON object per frame: {\"frame\", \"time\", \"numbers\": [{\"number\", \"confidence\", \"box\", \"digits\"}]}.")
    var json = false

    func validate() throws {
        if device != nil && source != nil { throw ValidationError("give --device or --source, not both") }
        if frames < 0 { throw ValidationError("--frames must be 0 or more") }
        if !(timeout > 0) { throw ValidationError("--timeout must be positive") }
    }

    func run() throws {
        do {
            try capture()
        } catch {
            throw failWithMessage(error)
        }
    }

    private func capture() throws {
        let recognizer = try Recognizer(locator: model.locator())
        let input: CaptureSource = source.map { .media($0) } ?? .device(device ?? "/dev/video0")
        if case let .device(path) = input, !FileManager.default.fileExists(atPath: path) {
            throw CaptureError.cannotOpen(source: input.description, reason: "there is no such device (is a camera connected?)")
        }
        if case let .media(location) = input, !location.contains("://"), !location.contains("%"),
           !FileManager.default.fileExists(atPath: location) {
            throw CaptureError.cannotOpen(source: location, reason: "there is no such file")
        }
        let pipeline = try CapturePipeline(source: input, startTimeout: timeout)
        var processed = 0
        while frames == 0 || processed < frames, let frame = try pipeline.nextFrame(timeout: timeout) {
            let reading = recognizer.read(photo: try Self.picture(frame))
            print(json ? Self.json(frame, reading) : Self.text(frame, reading))
            processed += 1
        }
        if processed == 0 { throw CaptureError.streamFailed(source: input.description, reason: "it ended before the first frame") }
    }

    /// A gray frame as the decoded-picture type the photo reader takes.
    static func picture(_ frame: CaptureFrame) throws -> DecodedImage {
        var rgba = [UInt8](repeating: 255, count: frame.width * frame.height * 4)
        for (i, v) in frame.gray.enumerated() { rgba[4 * i] = v; rgba[4 * i + 1] = v; rgba[4 * i + 2] = v }
        return try DecodedImage(width: frame.width, height: frame.height, rgba: rgba)
    }

    static func json(_ frame: CaptureFrame, _ reading: PhotoRecognition) -> String {
        var object: [String: Any] = ["frame": frame.index, "numbers": reading.numbers.map(PredictionOutput.numberJSON),
                                     "latency_ms": reading.latencyMs]
        object["time"] = frame.time ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func text(_ frame: CaptureFrame, _ reading: PhotoRecognition) -> String {
        let time = frame.time.map { String(format: " %.2f s", $0) } ?? ""
        let found = reading.isEmpty ? "no digits"
            : reading.numbers.map { String(format: "%@ (%.0f%%) at %@", $0.number, $0.confidence * 100, $0.box.description) }
                .joined(separator: " · ")
        return "frame \(frame.index)\(time): \(found)"
    }
}
