import Crypto
import Foundation

enum FileChecksum {
    /// Hex MD5 of a file, the checksum MNIST publishes for its files.
    static func md5(path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        return Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
