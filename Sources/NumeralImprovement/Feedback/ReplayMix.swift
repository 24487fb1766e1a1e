import NumeralEngine
import NumeralRecognition
import NumeralVision

/// The fine-tune's training set: the user's feedback repeated up to a target count, interleaved
/// with `replayRatio` times as many MNIST training images drawn at random (one for one by default).
/// Shuffled batches then hold feedback and MNIST in that ratio on average, and any contiguous window
/// (as batch-norm recalibration reads it) holds them in exactly that ratio. The MNIST part is what
/// keeps the model from forgetting the digits it already reads well.
enum ReplayMix {
    static func make(feedback: LabeledImages, feedbackImages: Int, replayRatio: Int = 1, mnistTrain: MNISTDataset,
                     seed: UInt64) -> LabeledImages {
        guard feedback.count > 0 else { return LabeledImages() }
        let repeats = max(1, (feedbackImages + feedback.count - 1) / feedback.count)
        let count = repeats * feedback.count
        let replays = min(count * max(replayRatio, 1), mnistTrain.count)
        let perFeedback = max(replayRatio, 1)
        var generator = SeededGenerator(seed: seed)
        var chosen = Array(0..<mnistTrain.count)
        // A partial Fisher-Yates shuffle: only the first `replays` places are needed.
        for i in 0..<replays {
            chosen.swapAt(i, Int.random(in: i..<chosen.count, using: &generator))
        }
        let side = LabeledImages.pixelsPerImage
        var mix = LabeledImages()
        mix.pixels.reserveCapacity((count + replays) * side)
        mix.labels.reserveCapacity(count + replays)
        mnistTrain.images.withUnsafeBufferPointer { bytes in
            for k in 0..<count {
                let f = k % feedback.count
                mix.pixels += feedback.image(f)
                mix.labels.append(feedback.labels[f])
                for r in 0..<perFeedback where k * perFeedback + r < replays {
                    let m = chosen[k * perFeedback + r]
                    mix.pixels += bytes[(m * side)..<((m + 1) * side)].lazy.map { Float($0) / 255 }
                    mix.labels.append(mnistTrain.labels[m])
                }
            }
        }
        return mix
    }
}
