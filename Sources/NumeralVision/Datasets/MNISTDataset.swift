import Foundation

/// Which half of MNIST to load.
public enum MNISTSplit: String, Sendable, CaseIterable {
    case train, test

    /// Official base names; a `.gz` suffix is tried as well.
    public var imagesFileName: String { self == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte" }
    public var labelsFileName: String { self == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte" }
}

/// One MNIST split in memory: 28x28 8-bit images (0 = paper, 255 = ink) and their digit labels.
public struct MNISTDataset: Sendable {
    public static let side = 28
    public static let pixelsPerImage = side * side

    /// `count * 28 * 28` bytes, image after image, row-major.
    public let images: [UInt8]
    public let labels: [UInt8]
    public let count: Int

    public init(images: [UInt8], labels: [UInt8]) throws {
        guard labels.count > 0 else { throw IDXError.empty(path: "labels") }
        guard images.count == labels.count * Self.pixelsPerImage else {
            throw IDXError.countMismatch(imagesPath: "images", images: images.count / Self.pixelsPerImage,
                                         labelsPath: "labels", labels: labels.count)
        }
        self.images = images
        self.labels = labels
        self.count = labels.count
    }

    /// Loads a split from `directory`, accepting the official file names plain or gzip-compressed.
    public static func load(directory: String, split: MNISTSplit) throws -> MNISTDataset {
        let imagesPath = try locate(split.imagesFileName, in: directory)
        let labelsPath = try locate(split.labelsFileName, in: directory)
        // Labels first: they are tiny and reveal a wrong or damaged pair before 47 MB are inflated.
        let labels = try IDXReader.readLabels(path: labelsPath)
        guard !labels.isEmpty else { throw IDXError.empty(path: labelsPath) }
        if let bad = labels.firstIndex(where: { $0 > 9 }) {
            throw IDXError.labelOutOfRange(path: labelsPath, index: bad, value: labels[bad])
        }
        let images = try IDXReader.readImages(path: imagesPath)
        guard images.rows == side, images.columns == side else {
            throw IDXError.unexpectedImageSize(path: imagesPath, rows: images.rows, columns: images.columns, expected: side)
        }
        guard images.count == labels.count else {
            throw IDXError.countMismatch(imagesPath: imagesPath, images: images.count, labelsPath: labelsPath, labels: labels.count)
        }
        return MNISTDataset(validatedImages: images.pixels, labels: labels)
    }

    private init(validatedImages: [UInt8], labels: [UInt8]) {
        images = validatedImages
        self.labels = labels
        count = labels.count
    }

    /// Image `index` as model polarity floats (1 = ink). `index` must be in `0..<count`.
    public func grayImage(at index: Int) -> GrayImage {
        let start = index * Self.pixelsPerImage
        let pixels = images[start..<start + Self.pixelsPerImage].map { Float($0) / 255 }
        return GrayImage(width: Self.side, height: Self.side, pixels: pixels)
    }

    /// The first `limit` items (all if fewer), handy for quick evaluations and tests.
    public func prefix(_ limit: Int) -> MNISTDataset {
        let n = max(0, min(limit, count))
        return MNISTDataset(validatedImages: Array(images[0..<n * Self.pixelsPerImage]), labels: Array(labels[0..<n]))
    }

    /// The path of `baseName` (plain or .gz) in `directory`, if there is one.
    public static func existingFile(directory: String, baseName: String) -> String? {
        try? locate(baseName, in: directory)
    }

    private static func locate(_ baseName: String, in directory: String) throws -> String {
        let url = URL(fileURLWithPath: directory)
        // Some mirrors spell the names with a dot before "idx"; accept those too.
        let dotted = baseName.replacingOccurrences(of: "-idx", with: ".idx")
        for name in [baseName, baseName + ".gz", dotted, dotted + ".gz"] {
            let path = url.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw IDXError.fileNotFound(path: url.appendingPathComponent(baseName + "(.gz)").path)
    }
}
