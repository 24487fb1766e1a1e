import Foundation
import NumeralVision

/// What a client sent to be recognized, sorted by kind (the HTTP layer reads it from a request
/// body: `PredictionInput+Body` in NumeralServer); a picture's bytes are checked to be that
/// kind of picture, a drawing's JSON is read on the worker that recognizes it.
public enum PredictionInput: Sendable {
    case drawing(Drawing)
    /// A drawing as the JSON a client sent, read (and checked against the limits) by the
    /// recognition worker that recognizes it, never on the thread that received it.
    case drawingJSON([UInt8])
    case picture(bytes: [UInt8], format: PictureFormat)

    /// Reads a drawing in the drawing file format; `ServiceError.badRequest` says what is wrong
    /// in our words (never Foundation's), or which limit it passes.
    public static func decodeDrawing(_ bytes: [UInt8], limits: DrawingLimits) throws -> Drawing {
        let drawing: Drawing
        do {
            drawing = try JSONDecoder().decode(Drawing.self, from: Data(bytes))
        } catch {
            throw ServiceError.badRequest("The body is not a drawing: \(Self.explain(error)). "
                + "Send {\"strokes\": [[[x, y], ...], ...], \"width\": w, \"height\": h}.")
        }
        try limits.check(drawing)
        return drawing
    }

    private static func explain(_ error: Error) -> String {
        switch error {
        // Foundation's own wording ("The given data was not valid JSON.", offsets) is not ours to show.
        case DecodingError.dataCorrupted(let c) where !c.codingPath.isEmpty:
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return "a value is not what a drawing holds at \(path)"
        case DecodingError.dataCorrupted: return "the text is not valid JSON"
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return "a value has the wrong type" + (path.isEmpty ? "" : " at \(path)")
        default: return "the text is not valid JSON"
        }
    }
}
