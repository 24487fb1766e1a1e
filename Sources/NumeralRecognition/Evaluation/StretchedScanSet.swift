import NumeralEngine
import NumeralVision

/// A validation set of box-stretched scans (see `StretchedScan`) made from labelled 28×28 digits,
/// read through the picture path exactly as a PNG would be. Built from MNIST training digits the
/// trainer holds out (its validation split), never from the test set. Each digit gets its own
/// seeded variation: threshold 0.4–0.6, enlarged 1–8× (blocky, or soft in a quarter of cases),
/// 0–2 bitmap pixels of margin, and light ink on dark paper in a quarter of cases.
public struct StretchedScanSet {
    public struct Item {
        public var label: Int
        public var picture: DecodedImage
    }

    public private(set) var items: [Item] = []

    public init(images: LabeledImages, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let scales = [1, 2, 3, 4, 5, 6, 8]
        for i in 0..<images.count {
            let threshold = 0.4 + 0.2 * Float(Double(rng.next() >> 11) * 0x1p-53)
            let scale = scales[Int(rng.next() % UInt64(scales.count))]
            let marginBits = Int(rng.next() % 3)
            let smooth = rng.next() % 4 == 0
            let inverted = rng.next() % 4 == 0
            let scan = StretchedScan(side: 16, threshold: threshold)
            guard let bits = scan.bitmap(of: GrayImage(width: 28, height: 28, pixels: Array(images.image(i)))) else { continue }
            let ink = scan.enlarged(bits, scale: scale, margin: marginBits * scale, smooth: smooth)
            items.append(Item(label: Int(images.labels[i]), picture: StretchedScan.picture(ink, inverted: inverted)))
        }
    }

    /// Scans of pen-drawn digits: writers the image model never trained on, with their own
    /// shapes and slants. Each drawing is inked at 56×56 with a pen 3–9 px wide (the 16×16
    /// bitmap's strokes come out 1–3 pixels thick), then goes through the same seeded
    /// stretching, thresholding and enlarging as the MNIST-made scans.
    public init(pens: [PenSample], seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let scales = [1, 2, 3, 4, 5, 6, 8]
        for sample in pens {
            let penWidth = 3 + 6 * Double(rng.next() >> 11) * 0x1p-53
            let threshold = 0.4 + 0.2 * Float(Double(rng.next() >> 11) * 0x1p-53)
            let scale = scales[Int(rng.next() % UInt64(scales.count))]
            let marginBits = Int(rng.next() % 3)
            let smooth = rng.next() % 4 == 0
            let inverted = rng.next() % 4 == 0
            let normalizer = DrawingNormalizer(penWidth: penWidth, targetBox: 48, size: 56, aspectFloor: 0)
            guard let ink = try? normalizer.normalize(sample.drawing) else { continue }
            let scan = StretchedScan(side: 16, threshold: threshold)
            guard let bits = scan.bitmap(of: ink) else { continue }
            let enlarged = scan.enlarged(bits, scale: scale, margin: marginBits * scale, smooth: smooth)
            items.append(Item(label: sample.label, picture: StretchedScan.picture(enlarged, inverted: inverted)))
        }
    }

    /// One outcome per item: the digit read (-1 when the picture did not read as exactly one
    /// digit), its confidence and the model input of the first digit.
    public func evaluate(with recognizer: Recognizer) -> [(label: Int, predicted: Int, confidence: Float, input: GrayImage?)] {
        items.map { item in
            // The one picture reader, as predict, the app and the API read a picture.
            let recognition = try? recognizer.recognize(picture: item.picture, multiDigit: true, route: .automatic)
            let digits = recognition?.digits ?? []
            return (item.label, digits.count == 1 ? digits[0].digit : -1, recognition?.confidence ?? 0, digits.first?.input)
        }
    }
}
