/// Why an IDX file (the MNIST container format) could not be used.
/// Every message names the file and says what to do about it.
public enum IDXError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    case badMagic(path: String, found: UInt32, expected: UInt32)
    case absurdDimensions(path: String, dimensions: [Int])
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    case trailingData(path: String)
    case countMismatch(imagesPath: String, images: Int, labelsPath: String, labels: Int)
    case unexpectedImageSize(path: String, rows: Int, columns: Int, expected: Int)
    case labelOutOfRange(path: String, index: Int, value: UInt8)
    case empty(path: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path):
            return "IDX file not found: \(path). Put the four MNIST files (plain or .gz) there, or point to the folder holding them with --data DIR (or NUMERAL_MNIST)."
        case let .unreadable(path, reason):
            return "Cannot read IDX file \(path): \(reason)"
        case let .badMagic(path, found, expected):
            return "\(path) is not the expected IDX file: magic number 0x\(hex(found)), expected 0x\(hex(expected)). "
                + "Check that image and label files were not swapped and that the file is really MNIST IDX data."
        case let .absurdDimensions(path, dims):
            return "\(path) declares dimensions \(dims), which are too large or zero for a digit data set; the file is damaged or not IDX."
        case let .truncated(path, expected, actual):
            return "\(path) is truncated: its header promises \(expected) data bytes but only \(actual) are present. Download it again."
        case let .trailingData(path):
            return "\(path) is longer than its header says; it is damaged or not an IDX file. Download it again."
        case let .countMismatch(imagesPath, images, labelsPath, labels):
            return "\(imagesPath) holds \(images) images but \(labelsPath) holds \(labels) labels; use files from the same split."
        case let .unexpectedImageSize(path, rows, columns, expected):
            return "\(path) holds \(rows)x\(columns) images, but MNIST images are \(expected)x\(expected)."
        case let .labelOutOfRange(path, index, value):
            return "\(path) has label \(value) at index \(index); digit labels must be 0...9. The file is damaged or not MNIST."
        case let .empty(path):
            return "\(path) contains no items."
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
