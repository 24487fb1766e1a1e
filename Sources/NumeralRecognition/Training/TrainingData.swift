import Foundation
import NumeralEngine
import NumeralVision

/// Builds the training, validation and evaluation sets from MNIST and, optionally, pen-drawn digits
/// rendered through exactly the normalization the canvas uses.
public enum TrainingData {
    /// Pen-digit writers held out of every training run, so accuracy on them measures handwriting
    /// the model has never seen.
    public static let heldOutPenWriters: ClosedRange<Int> = 26...30

    /// DigiLeTs writers held out of every training run: every fifth writer in ID order (the 5th,
    /// 10th, …), fixed before any model was trained, so accuracy on them measures unseen hands.
    public static func heldOutDigiLeTsWriters(among writers: some Sequence<Int>) -> Set<Int> {
        let ordered = Set(writers).sorted()
        return Set(ordered.enumerated().filter { $0.offset % 5 == 4 }.map(\.element))
    }

    /// Pen-digit writers are numbered from here when mixed with DigiLeTs writers, so the IDs never meet.
    public static let penDigitsWriterOffset = 10_000

    public static func mnist(_ dataset: MNISTDataset) -> LabeledImages {
        LabeledImages(pixels: dataset.images.map { Float($0) / 255 }, labels: dataset.labels)
    }

    /// Renders pen digits into 28×28 model input with the canvas's normalizer.
    public static func render(_ samples: [PenSample], normalizer: DrawingNormalizer = DrawingNormalizer()) -> LabeledImages {
        var out = LabeledImages()
        out.pixels.reserveCapacity(samples.count * LabeledImages.pixelsPerImage)
        for s in samples {
            guard let image = try? normalizer.normalize(s.drawing) else { continue }
            out.append(image.pixels, label: UInt8(s.label))
        }
        return out
    }

    public struct Split {
        public var train: LabeledImages
        public var validation: LabeledImages
        public var penTrainCount: Int
    }

    /// MNIST training images minus the last `validationCount` (the validation split), plus the
    /// rendered pen digits of writers outside `heldOutPenWriters`, repeated `penRepeats` times so
    /// they weigh enough against 55,000 scans.
    public static func split(mnistTrain: MNISTDataset, penDigits: [PenSample], validationCount: Int,
                             trainLimit: Int, penRepeats: Int = 2, narrowPenCopies: Int = 0, seed: UInt64 = 42) -> Split {
        let all = mnist(mnistTrain)
        let validationCount = min(validationCount, all.count / 5)
        var trainEnd = all.count - validationCount
        if trainLimit > 0 { trainEnd = min(trainEnd, trainLimit) }
        var train = all.subset(0..<trainEnd)
        let validation = all.subset((all.count - validationCount)..<all.count)
        let penTrain = penDigits.filter { !heldOutPenWriters.contains($0.writer) }
        let pen = render(penTrain)
        for _ in 0..<penRepeats { train.append(contentsOf: pen) }
        for copy in 0..<narrowPenCopies { train.append(contentsOf: render(squeezed(penTrain, seed: seed &+ UInt64(copy)))) }
        return Split(train: train, validation: validation, penTrainCount: pen.count)
    }

    /// Characters of a set (DigiLeTs, plus pen digits for `alphanumeric`) rendered through the
    /// canvas's normalizer: the writers outside `heldOut` for training, each drawing once as
    /// written and `copies` times changed by `augmenter`, and the held-out writers as written.
    public static func characterSplit(_ samples: [PenSample], heldOut: Set<Int>, copies: Int,
                                      augmenter: DrawingAugmenter = DrawingAugmenter(), seed: UInt64) -> Split {
        let trainSamples = samples.filter { !heldOut.contains($0.writer) }
        var train = render(trainSamples)
        var rng = SeededGenerator(seed: seed ^ 0x1E77E25)
        for _ in 0..<copies {
            train.append(contentsOf: render(trainSamples.map { sample in
                var changed = sample
                changed.drawing = augmenter.augment(sample.drawing, using: &rng)
                return changed
            }))
        }
        return Split(train: train, validation: render(samples.filter { heldOut.contains($0.writer) }), penTrainCount: trainSamples.count)
    }

    /// The drawings squeezed horizontally to 25-60 % of their width (seeded): very narrow digits,
    /// as people draw them in a tall box, for training the model on what the normalizer's aspect
    /// floor makes of them.
    public static func squeezed(_ samples: [PenSample], seed: UInt64) -> [PenSample] {
        var state = seed
        return samples.map { sample in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let factor = 0.25 + 0.35 * Double(state >> 11) * 0x1p-53
            var out = sample
            let xs = sample.drawing.strokes.flatMap { $0.points.map(\.x) }
            let mid = ((xs.min() ?? 0) + (xs.max() ?? 0)) / 2
            out.drawing.strokes = sample.drawing.strokes.map { stroke in
                Stroke(points: stroke.points.map { p in
                    var q = p
                    q.x = mid + (p.x - mid) * factor
                    return q
                })
            }
            return out
        }
    }
}
