/// Digit images with labels, stored flat: image i occupies pixels[i*784 ..< (i+1)*784], values 0...1
/// with ink = 1 (MNIST polarity).
public struct LabeledImages: Sendable {
    public static let pixelsPerImage = 28 * 28
    public var pixels: [Float]
    public var labels: [UInt8]

    public init(pixels: [Float] = [], labels: [UInt8] = []) {
        precondition(pixels.count == labels.count * Self.pixelsPerImage, "one 28x28 image per label")
        self.pixels = pixels
        self.labels = labels
    }

    public var count: Int { labels.count }

    public mutating func append(_ image: [Float], label: UInt8) {
        precondition(image.count == Self.pixelsPerImage)
        pixels += image
        labels.append(label)
    }

    public mutating func append(contentsOf other: LabeledImages) {
        pixels += other.pixels
        labels += other.labels
    }

    public func image(_ i: Int) -> ArraySlice<Float> {
        pixels[(i * Self.pixelsPerImage)..<((i + 1) * Self.pixelsPerImage)]
    }

    /// The images at `indices`, in that order.
    public func subset(_ indices: some Sequence<Int>) -> LabeledImages {
        var out = LabeledImages()
        for i in indices {
            out.pixels += image(i)
            out.labels.append(labels[i])
        }
        return out
    }
}
