import Foundation

/// Loader for the pen digits JSON file (`pendigits-orig-train.json`).
public enum PenDigits {
    /// Side of the tablet box the coordinates live in.
    public static let canvasSize = 500.0

    private struct RawSample: Decodable {
        var label: Int
        var writer: Int
        var writer_sample: Int?
        var strokes: [[[Double]]]
    }

    /// Reads every sample, flipping y (500 - y) so the drawings match what a canvas produces.
    public static func load(path: String) throws -> [PenSample] {
        let data = try DrawingFile.readData(path: path)
        let raw: [RawSample]
        do {
            raw = try JSONDecoder().decode([RawSample].self, from: data)
        } catch {
            throw VisionError.invalidPenDigits(path: path, reason: ReadableError.decoding(error, data: data))
        }
        return try raw.enumerated().map { index, sample in
            guard (0...9).contains(sample.label) else {
                throw VisionError.invalidPenDigits(
                    path: path, reason: "sample \(index + 1) has label \(sample.label), expected 0...9")
            }
            let strokes = try sample.strokes.enumerated().map { strokeIndex, stroke in
                Stroke(points: try stroke.enumerated().map { pointIndex, pair in
                    guard pair.count >= 2, pair[0].isFinite, pair[1].isFinite else {
                        throw VisionError.invalidPenDigits(
                            path: path, reason: "sample \(index + 1), stroke \(strokeIndex + 1), point "
                                + "\(pointIndex + 1) is not an [x, y] pair of numbers")
                    }
                    return StrokePoint(x: pair[0], y: canvasSize - pair[1])
                })
            }
            return PenSample(label: sample.label, writer: sample.writer,
                                  writerSample: sample.writer_sample ?? index,
                                  drawing: Drawing(strokes: strokes, width: canvasSize, height: canvasSize,
                                                   label: sample.label))
        }
    }
}
