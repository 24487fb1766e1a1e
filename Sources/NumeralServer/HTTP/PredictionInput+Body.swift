import Foundation
import NumeralSession

extension PredictionInput {
    /// Reads a request body by its Content-Type: `application/json` is a drawing in the drawing
    /// file format, `image/png` and `image/jpeg` a picture whose bytes must match the type.
    public static func parse(body: [UInt8], contentType: String?, limits: DrawingLimits) throws -> PredictionInput {
        let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if type == "application/json" {
            // Decoded (and checked against the limits) on a recognition worker, not here on the
            // event loop: 20,000 points of JSON take milliseconds to read.
            return .drawingJSON(body)
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
}
