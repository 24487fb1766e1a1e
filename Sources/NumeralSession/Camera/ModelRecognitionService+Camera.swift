import Dispatch
import NumeralRecognition
import NumeralUI
import NumeralVision

/// The camera view's frame reader: the photo reader and the model, as for a JPEG photo.
extension ModelRecognitionService: CameraFrameReading {
    public func read(_ frame: CameraFrame) throws -> CameraReading {
        let start = DispatchTime.now()
        let picture = try DecodedImage(gray: frame.gray, width: frame.width, height: frame.height)
        var reading = Self.reading(read(photo: picture), frameIndex: frame.index)
        // Frame in, boxes and readings out: the conversion counts too.
        reading.latencyMs = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        return reading
    }

    static func reading(_ r: PhotoRecognition, frameIndex: Int) -> CameraReading {
        CameraReading(frameIndex: frameIndex, numbers: r.numbers.map { number in
            CameraNumber(digits: number.digits, boxes: number.boxes, unsure: number.confidence < Recognizer.defaultUnsureBelow)
        }, latencyMs: r.latencyMs, modelID: r.modelID)
    }
}
