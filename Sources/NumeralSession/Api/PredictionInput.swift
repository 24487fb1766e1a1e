import Foundation
import NumeralVision

/// What a client sent to be recognized, already checked to be well formed (the HTTP layer
/// reads it from a request body: `PredictionInput+Body` in NumeralServer).
public enum PredictionInput: Sendable {
    case drawing(Drawing)
    case picture(bytes: [UInt8], format: PictureFormat)
}
