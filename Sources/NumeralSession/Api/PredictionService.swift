import Foundation
import NumeralRecognition
import NumeralStore
import NumeralVision

/// The API's prediction and feedback flow, for any front end that serves many clients at once
/// (`numeral serve` calls it from its HTTP handlers, which only decode requests and encode its
/// answers): validates the input, recognizes it on the bounded recognition pool's background
/// threads (never on the caller's), logs one record like the app's canvas does (input type
/// `api`, the client that made it, this server's device) through group commit, and answers only
/// once that record is durable; takes feedback from the prediction's maker or an admin the same
/// way. Knows nothing of HTTP.
///
/// Not a `SessionRunner`: a runner is one front end's state on one UI thread, while this serves
/// concurrent requests whose only shared state is the pool, the log writer and who made which
/// prediction, each behind its own lock.
public final class PredictionService: Sendable {
    let pool: RecognitionPool
    let writer: GroupCommitWriter
    let owners = PredictionOwners()
    let idempotency = IdempotencyCache()
    public let device: String
    public let limits: DrawingLimits
    /// Seconds an input may wait for a worker before it is refused without being recognized;
    /// nil: no deadline. Work that started is always finished, logged and answered.
    public let deadline: Double?

    public init(pool: RecognitionPool, writer: GroupCommitWriter, device: String, limits: DrawingLimits, deadline: Double? = nil) {
        self.pool = pool
        self.writer = writer
        self.device = device
        self.limits = limits
        self.deadline = deadline
    }

    /// How much work recognizing `input` is, in the pool's units: a megapixel of a picture as
    /// it will be decoded, a thousand points of a drawing. Throws for a PNG past the pixel cap,
    /// before anything is decoded.
    public func work(of input: PredictionInput) throws -> Int {
        switch input {
        case let .drawing(drawing):
            return 1 + drawing.strokes.reduce(0) { $0 + $1.points.count } / 1000
        case let .drawingJSON(bytes):
            // About 16 bytes of JSON per point.
            return 1 + bytes.count / 16_000
        case let .picture(bytes, format):
            let size = bytes.withUnsafeBytes { format == .png ? PNGCodec.size(of: $0) : JPEGCodec.size(of: $0) }
            guard let size else { return 1 }
            var pixels = size.width * size.height
            if format == .png {
                guard pixels <= limits.maxPNGPixels else {
                    throw ServiceError.badRequest("The PNG picture is \(size.width)x\(size.height) pixels; PNGs up to "
                        + "\(limits.maxPNGPixels / 1_048_576) megapixels are read. Scale it down or send it as a JPEG.")
                }
            } else {
                let factor = JPEGCodec.reduction(width: size.width, height: size.height, maxPixels: JPEGCodec.workingPixels)
                pixels = ((size.width + factor - 1) / factor) * ((size.height + factor - 1) / factor)
            }
            return 1 + pixels / 1_048_576
        }
    }

    public var modelID: String { pool.modelID }

    /// Log writes made so far and the transactions that carried them (group commit).
    public var logWrites: (writes: Int, commits: Int) { (writer.writes, writer.commits) }

    /// Recognizes `input` and logs the result as made by `caller`. With `replacing`, the input is
    /// a later state of the same drawing (more strokes, or one undone): the record of that
    /// earlier prediction, which must be the caller's, is updated instead of a new one made,
    /// so live prediction while drawing still logs one record per drawing.
    /// With an `idempotencyKey`, a retry of the same request (same client, key and input) gets
    /// the first answer, marked `replayed`, and is never logged twice.
    /// `classes` picks the model: the digits, or letters/alphanumeric when the server has them.
    public func predict(_ input: PredictionInput, caller: Caller, replacing: String? = nil,
                        idempotencyKey: String? = nil, classes: CharacterClasses = .digits) async throws -> PredictionResult {
        // Ids are lowercase UUIDs; an uppercase spelling names the same prediction.
        let replacing = replacing?.lowercased()
        if let replacing { try checkOwnership(of: replacing, caller: caller, action: "replace") }
        let work = try self.work(of: input)
        guard let key = idempotencyKey else {
            return try await recognizeAndLog(input, caller: caller, id: replacing, isNew: replacing == nil, work: work, classes: classes)
        }
        guard IdempotencyCache.isValidKey(key) else {
            throw ServiceError.badRequest("The Idempotency-Key must be 1 to 255 visible ASCII characters.")
        }
        guard replacing == nil else {
            throw ServiceError.badRequest("An Idempotency-Key cannot be combined with ?replace= (replacing is already safe to repeat).")
        }
        let id = IdempotencyCache.predictionID(client: caller.client, key: key)
        var fingerprint: UInt64
        switch input {
        case let .picture(bytes, _), let .drawingJSON(bytes): fingerprint = IdempotencyCache.fingerprint(bytes)
        case let .drawing(drawing):
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            fingerprint = IdempotencyCache.fingerprint(Array((try? encoder.encode(drawing)) ?? Data()))
        }
        // The same input read as another character set is another request.
        if classes != .digits { fingerprint ^= IdempotencyCache.fingerprint(Array(classes.rawValue.utf8)) }
        let (result, replayed) = try await idempotency.answer(id: id, fingerprint: fingerprint) { [self] in
            try await recognizeAndLog(input, caller: caller, id: id, isNew: true, work: work, classes: classes)
        }
        var answer = result
        if replayed { answer.replayed = true }
        return answer
    }

    private func recognizeAndLog(_ input: PredictionInput, caller: Caller, id given: String?, isNew: Bool,
                                 work: Int, classes: CharacterClasses) async throws -> PredictionResult {
        let limits = self.limits
        let (recognition, boxes, drawing, picture) = try await pool.run(client: caller.client, work: work, deadline: deadline, classes: classes) { recognizer -> (Recognition, [PredictionResult.Box?], Drawing?, (kind: String, unsure: Bool)?) in
            do {
                let decoded: PredictionInput
                if case let .drawingJSON(bytes) = input {
                    decoded = .drawing(try PredictionInput.decodeDrawing(bytes, limits: limits))
                } else {
                    decoded = input
                }
                switch decoded {
                case .drawingJSON: throw ServiceError.failed("Recognition failed.")
                case let .drawing(drawing):
                    let parts = try recognizer.segmenter.segment(drawing)
                    try limits.checkDigitCount(parts.count)
                    let recognition = try recognizer.recognize(drawing)
                    let boxes = parts.map { Self.box(of: $0) }
                    return (recognition, boxes.count == recognition.digits.count ? boxes : recognition.digits.map { _ in nil },
                            Self.stored(drawing, reading: recognition.number, recognizer: recognizer), nil)
                case let .picture(bytes, format):
                    let image = try PictureReader.decode(bytes, format: format)
                    // The one picture reader: photos (whatever the format) through the photo reader, like the app's uploads.
                    let located = try recognizer.locate(picture: image)
                    try limits.checkDigitCount(located.recognition.digits.count)
                    let boxes = located.boxes.map { PredictionResult.Box(x: Double($0.x), y: Double($0.y),
                                                                         width: Double($0.width), height: Double($0.height)) }
                    return (located.recognition, boxes.count == located.recognition.digits.count
                        ? boxes : located.recognition.digits.map { _ in nil }, nil, (located.kind.rawValue, located.unsure))
                }
            } catch let error as ServiceError {
                throw error
            } catch let error as VisionError {
                throw ServiceError.badRequest("Nothing could be recognized: \(error)")
            } catch let error as PictureError {
                throw ServiceError.badRequest("Nothing could be recognized: \(error)")
            } catch {
                throw ServiceError.failed("Recognition failed.")
            }
        }
        guard !recognition.digits.isEmpty else {
            throw ServiceError.badRequest(classes == .digits ? "No digit was found in the input." : "No character was found in the input.")
        }
        let id = given ?? UUID().uuidString.lowercased()
        let inputType: InputType = .api
        let record = Self.record(recognition, drawing: drawing, inputType: inputType, device: device, client: caller.client)
        do {
            try await writer.upsert(record, uid: id)
        } catch {
            throw ServiceError.failed("The prediction was made but could not be logged; the log refused it.")
        }
        if isNew { owners.record(id: id, client: caller.client) }
        var result = Self.result(recognition, id: id, boxes: boxes, inputType: inputType)
        result.readAs = picture?.kind
        result.unsure = picture?.unsure
        return result
    }

    /// Stores `actual` as the truth for prediction `id`. Only its maker or an admin may.
    public func feedback(id: String, actual: String, caller: Caller) async throws {
        let id = id.lowercased()
        guard !actual.isEmpty, actual.count <= limits.maxDigits, actual.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) else {
            throw ServiceError.badRequest("\"actual\" must be the character(s) that were written, like \"7\", \"42\" or \"Ada\" "
                + "(digits and letters a-z, A-Z; at most \(limits.maxDigits)).")
        }
        try checkOwnership(of: id, caller: caller, action: "label")
        do {
            try await writer.setActual(uid: id, actual: actual)
        } catch StoreError.unknownRecord {
            throw ServiceError.notFound("There is no prediction \(id).")
        } catch {
            throw ServiceError.failed("The feedback could not be logged; the log refused it.")
        }
    }

    /// Only the client that made prediction `id`, or an admin, may change it.
    private func checkOwnership(of id: String, caller: Caller, action: String) throws {
        guard Self.isPredictionID(id) else { throw ServiceError.notFound("There is no prediction \(String(id.prefix(40))).") }
        guard !caller.isAdmin else { return }
        guard let owner = owners.owner(of: id) else {
            throw ServiceError.notFound("There is no recent prediction \(id) made by this client.")
        }
        guard owner == caller.client else {
            throw ServiceError.forbidden("Prediction \(id) was made by another client; only it or an admin may \(action) it.")
        }
    }

    /// A prediction id is a lowercase UUID; anything else is never looked up.
    static func isPredictionID(_ id: String) -> Bool {
        id.count == 36 && UUID(uuidString: id) != nil
    }

    /// Most points of a drawing the log keeps: a larger one is stored thinned.
    public static let storedPoints = 1_000

    /// The drawing as the log keeps it: thinned to `storedPoints` when larger, as long as the
    /// thinned drawing reads the same (tried at that cap, then at four times it);
    /// otherwise whole. One 20,000-point drawing would otherwise add 400 KB to the log.
    static func stored(_ drawing: Drawing, reading: String, recognizer: Recognizer) -> Drawing {
        var simplifier = DrawingSimplifier(maxPoints: storedPoints)
        for _ in 0..<2 {
            let (thinned, tolerance) = simplifier.simplify(drawing)
            guard tolerance > 0 else { return drawing }
            if (try? recognizer.recognize(thinned).number) == reading { return thinned }
            simplifier.maxPoints *= 4
        }
        return drawing
    }

    static func box(of drawing: Drawing) -> PredictionResult.Box? {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for stroke in drawing.strokes { for p in stroke.points {
            minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y)
        } }
        guard minX.isFinite, maxX.isFinite else { return nil }
        return .init(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    static func record(_ r: Recognition, drawing: Drawing?, inputType: InputType, device: String, client: String) -> PredictionRecord {
        PredictionRecord(r, inputType: inputType, drawing: drawing, device: device, client: client)
    }

    static func result(_ r: Recognition, id: String, boxes: [PredictionResult.Box?], inputType: InputType) -> PredictionResult {
        let digits = r.digits.enumerated().map { i, d in
            PredictionResult.Digit(
                character: String(d.symbol), digit: d.classes == .digits ? d.digit : nil, confidence: Double(d.confidence),
                top3: d.top3.map { .init(character: String(d.classes.symbol($0.digit)), digit: d.classes == .digits ? $0.digit : nil,
                                         probability: Double($0.probability)) },
                probabilities: d.probabilities.map(Double.init),
                input: d.input.pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) },
                box: i < boxes.count ? boxes[i] : nil)
        }
        return PredictionResult(id: id, number: r.number, text: r.text, classes: r.classes.rawValue, confidence: Double(r.confidence), digits: digits,
                                model: r.modelID, latencyMs: r.latencyMs, inputType: inputType.rawValue)
    }
}
