import Foundation
import NumeralSession
import NumeralVision

extension PredictionInput {
    /// Reads a request body by its Content-Type: `application/json` is a drawing in the drawing
    /// file format, `image/png` and `image/jpeg` a picture whose bytes must match the type.
    public static func parse(body: [UInt8], contentType: String?, limits: DrawingLimits) throws -> PredictionInput {
        let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if type == "application/json" {
            let drawing: Drawing
            do {
                drawing = try JSONDecoder().decode(Drawing.self, from: Data(body))
            } catch {
                throw ServiceError.badRequest("The body is not a drawing: \(Self.explain(error)). "
                    + "Send {\"strokes\": [[[x, y], ...], ...], \"width\": w, \"height\": h}.")
            }
            try limits.check(drawing)
            return .drawing(drawing)
        }
        guard let declared = PictureFormat(mediaType: type) else {
            throw ServiceError.unsupportedMediaType(
                "Content-Type \"\(type.isEmpty ? "(none)" : String(type.prefix(60)))\" is not accepted: send application/json (a drawing), image/png or image/jpeg.")
        }
        guard let actual = PictureFormat.sniff(body) else {
            throw ServiceError.badRequest("The body is not a \(declared.rawValue.uppercased()) picture (its first bytes say otherwise).")
        }
        guard actual == declared else {
            throw ServiceError.badRequest("The body is a \(actual.rawValue.uppercased()) picture but Content-Type says \(declared.mediaType).")
        }
        return .picture(bytes: body, format: actual)
    }

    private static func explain(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.debugDescription.isEmpty ? "the text is not valid JSON" : Self.trim(c.debugDescription)
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return "a value has the wrong type" + (path.isEmpty ? "" : " at \(path)")
        default: return "the text is not valid JSON"
        }
    }

    private static func trim(_ s: String) -> String {
        var t = String(s.prefix(200))
        while t.hasSuffix(".") { t.removeLast() }
        return t
    }
}
