/// The answer to `POST /api/v1/predictions`.
public struct PredictionResult: Codable, Sendable, Equatable {
    /// One recognized character (a digit unless the request asked for letters).
    public struct Digit: Codable, Sendable, Equatable {
        /// The character read: "7", or "g" from a letter model.
        public var character: String
        /// The digit, from a digit model only (nil for letters).
        public var digit: Int?
        public var confidence: Double
        /// The three most likely characters, most likely first.
        public var top3: [Guess]
        /// Probability of each class of the character set, in its order (0-9; a-z A-Z; 0-9 a-z A-Z).
        public var probabilities: [Double]
        /// The 28×28 input the model saw, row by row, 0 = paper, 255 = ink.
        public var input: [UInt8]
        /// Where the digit is in the input (canvas units for a drawing); nil where unknown.
        public var box: Box?
    }

    public struct Guess: Codable, Sendable, Equatable {
        public var character: String
        /// From a digit model only.
        public var digit: Int?
        public var probability: Double
    }

    public struct Box: Codable, Sendable, Equatable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
    }

    /// Names the prediction for feedback.
    public var id: String
    /// What was read, left to right (the same string as `text`, kept for clients of digit-only servers).
    public var number: String
    /// What was read, left to right: digits, or letters with `classes` letters or alphanumeric.
    public var text: String
    /// The character set it was read with: digits, letters or alphanumeric.
    public var classes: String
    public var confidence: Double
    public var digits: [Digit]
    public var model: String
    public var latencyMs: Double
    public var inputType: String
    /// Pictures only: read as a "photo" or a "scan" (decided from the picture's content).
    public var readAs: String?
    /// Pictures only: the reading is below the calibrated confidence; show it as a guess.
    public var unsure: Bool?
    /// True when this is the answer already given to an earlier request with the same
    /// Idempotency-Key (nothing was recognized or logged again); absent otherwise.
    public var replayed: Bool?

    enum CodingKeys: String, CodingKey {
        case id, number, text, classes, confidence, digits, model, unsure, replayed
        case latencyMs = "latency_ms"
        case inputType = "input_type"
        case readAs = "read_as"
    }
}
