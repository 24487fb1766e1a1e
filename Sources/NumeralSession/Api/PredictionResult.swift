/// The answer to `POST /api/v1/predictions`.
public struct PredictionResult: Codable, Sendable, Equatable {
    /// One recognized digit.
    public struct Digit: Codable, Sendable, Equatable {
        public var digit: Int
        public var confidence: Double
        /// The three most likely digits, most likely first.
        public var top3: [Guess]
        /// Probability of each digit 0...9.
        public var probabilities: [Double]
        /// The 28×28 input the model saw, row by row, 0 = paper, 255 = ink.
        public var input: [UInt8]
        /// Where the digit is in the input (canvas units for a drawing); nil where unknown.
        public var box: Box?
    }

    public struct Guess: Codable, Sendable, Equatable {
        public var digit: Int
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
    public var number: String
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
        case id, number, confidence, digits, model, unsure, replayed
        case latencyMs = "latency_ms"
        case inputType = "input_type"
        case readAs = "read_as"
    }
}
