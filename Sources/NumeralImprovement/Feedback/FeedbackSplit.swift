import NumeralRecognition
import NumeralStore

/// The log's usable feedback divided into what the fine-tune trains on and what judges it.
///
/// A record is held out when a hash of its id falls below `heldOutFraction`, so the assignment
/// never changes as feedback accumulates: a drawing an earlier improvement trained on does not
/// later turn up as "unseen" evaluation data. Digits with too few held-out examples borrow the
/// training examples with the lowest hashes, so every digit the user gave feedback on is tested.
public struct FeedbackSplit: Sendable {
    public var training: [FeedbackExample]
    public var heldOut: [FeedbackExample]
    /// Labelled records that could not be used (multi-digit or without stored input).
    public var skipped: Int

    public init(records: [PredictionRecord], heldOutFraction: Double, minimumHeldOutPerDigit: Int) {
        var usable: [FeedbackExample] = []
        var skipped = 0
        for record in records where record.actual != nil {
            if let example = FeedbackExample(record: record) { usable.append(example) } else { skipped += 1 }
        }
        self.init(examples: usable, heldOutFraction: heldOutFraction, minimumHeldOutPerDigit: minimumHeldOutPerDigit)
        self.skipped = skipped
    }

    public init(examples: [FeedbackExample], heldOutFraction: Double, minimumHeldOutPerDigit: Int) {
        var training: [FeedbackExample] = []
        var heldOut: [FeedbackExample] = []
        for digit in UInt8(0)...9 {
            let ofDigit = examples.filter { $0.label == digit }
                .sorted { Self.unitHash($0.recordID) < Self.unitHash($1.recordID) }
            var heldCount = ofDigit.prefix { Self.unitHash($0.recordID) < heldOutFraction }.count
            // Never hold out more than half of a digit: the fine-tune must see the style too.
            heldCount = max(heldCount, min(minimumHeldOutPerDigit, ofDigit.count / 2))
            heldOut += ofDigit.prefix(heldCount)
            training += ofDigit.dropFirst(heldCount)
        }
        self.training = training.sorted { $0.recordID < $1.recordID }
        self.heldOut = heldOut.sorted { $0.recordID < $1.recordID }
        skipped = 0
    }

    public var usableCount: Int { training.count + heldOut.count }

    /// A fixed (not per-process seeded) mix of the id into [0, 1): SplitMix64's finalizer.
    static func unitHash(_ id: Int64) -> Double {
        var z = UInt64(bitPattern: id) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1p-53
    }
}

extension Array where Element == FeedbackExample {
    /// The examples as model input with their user-given labels.
    public var labeledImages: LabeledImages {
        var images = LabeledImages()
        images.pixels.reserveCapacity(count * LabeledImages.pixelsPerImage)
        for example in self { images.append(example.pixels, label: example.label) }
        return images
    }
}

extension FeedbackSplit {
    /// A fingerprint of the training drawings (record ids and labels), stored in the improvement
    /// report so a later run can tell the active model was already fine-tuned on exactly these.
    /// FNV-1a (64 bits) over the sorted ids and labels: stable across processes and machines.
    public var trainingDigest: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        for example in training.sorted(by: { $0.recordID < $1.recordID }) {
            withUnsafeBytes(of: example.recordID.littleEndian) { $0.forEach(mix) }
            mix(example.label)
        }
        let hex = String(hash, radix: 16)
        return "\(training.count)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
