import Crypto
import Foundation

/// How the kiosk's admin PIN is kept: a salted, deliberately slow hash, never the PIN itself.
/// Stored as JSON (`kiosk-pin.json`) with everything needed to verify it later.
public struct KioskPINRecord: Codable, Equatable, Sendable {
    public var algorithm: String
    public var iterations: Int
    /// Base64 of the random salt.
    public var salt: String
    /// Base64 of the derived key.
    public var hash: String

    public init(algorithm: String, iterations: Int, salt: String, hash: String) {
        self.algorithm = algorithm
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }
}

public enum KioskPINError: Error, CustomStringConvertible, Equatable {
    case badLength(Int)
    case notDigits
    case mismatch
    case unusableRecord(String)

    public var description: String {
        switch self {
        case .badLength(let n):
            return "The PIN must have \(KioskPIN.allowedLengths.lowerBound)-\(KioskPIN.allowedLengths.upperBound) digits (got \(n))."
        case .notDigits:
            return "The PIN may contain only the digits 0-9."
        case .mismatch:
            return "The two PINs differ; nothing was changed."
        case .unusableRecord(let reason):
            return "The stored PIN cannot be checked: \(reason). Set it again with `numeral kiosk set-pin`."
        }
    }
}

/// PBKDF2-HMAC-SHA256 (RFC 8018) over swift-crypto's HMAC, and PIN checks in constant time.
public enum KioskPIN {
    public static let algorithm = "PBKDF2-HMAC-SHA256"
    public static let allowedLengths = 4...12
    /// Below this a stolen PIN file could be brute-forced too cheaply; such records are refused.
    public static let minimumIterations = 100_000
    public static let defaultIterations = 210_000
    public static let saltBytes = 16
    public static let hashBytes = 32

    /// Checks a PIN's shape: 4-12 ASCII digits.
    public static func validate(_ pin: String) throws {
        guard allowedLengths.contains(pin.count) else { throw KioskPINError.badLength(pin.count) }
        guard pin.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { throw KioskPINError.notDigits }
    }

    /// Hashes a new PIN with a fresh random salt (or `salt`, for tests).
    public static func makeRecord(pin: String, iterations: Int = defaultIterations, salt: [UInt8]? = nil) throws -> KioskPINRecord {
        try validate(pin)
        guard iterations >= minimumIterations else {
            throw KioskPINError.unusableRecord("\(iterations) iterations is fewer than the minimum \(minimumIterations)")
        }
        let saltBytes = salt ?? randomSalt()
        let derived = pbkdf2SHA256(password: Array(pin.utf8), salt: saltBytes, iterations: iterations, keyLength: hashBytes)
        return KioskPINRecord(algorithm: algorithm, iterations: iterations,
                              salt: Data(saltBytes).base64EncodedString(), hash: Data(derived).base64EncodedString())
    }

    /// True when `pin` is the PIN `record` was made from. Slow by design (the record's
    /// iteration count): call it off the UI thread.
    public static func verify(_ pin: String, against record: KioskPINRecord) throws -> Bool {
        guard record.algorithm == algorithm else {
            throw KioskPINError.unusableRecord("unknown algorithm \"\(record.algorithm)\" (expected \(algorithm))")
        }
        guard record.iterations >= minimumIterations, record.iterations <= 100_000_000 else {
            throw KioskPINError.unusableRecord("\(record.iterations) iterations is outside \(minimumIterations)...100000000")
        }
        guard let salt = Data(base64Encoded: record.salt), salt.count >= 8 else {
            throw KioskPINError.unusableRecord("the salt is not base64 of at least 8 bytes")
        }
        guard let expected = Data(base64Encoded: record.hash), expected.count >= 16 else {
            throw KioskPINError.unusableRecord("the hash is not base64 of at least 16 bytes")
        }
        // A malformed guess still costs the full derivation, so timing says nothing about it.
        let derived = pbkdf2SHA256(password: Array(pin.utf8), salt: Array(salt), iterations: record.iterations,
                                   keyLength: expected.count)
        return constantTimeEqual(derived, Array(expected))
    }

    /// PBKDF2 with HMAC-SHA256 as the PRF.
    public static func pbkdf2SHA256(password: [UInt8], salt: [UInt8], iterations: Int, keyLength: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        // Keyed once; copying the keyed HMAC value reuses its absorbed key block every round.
        let keyed = HMAC<SHA256>(key: key)
        let blockCount = (max(0, keyLength) + 31) / 32
        var output: [UInt8] = []
        output.reserveCapacity(blockCount * 32)
        for block in 1...max(1, blockCount) {
            var first = keyed
            first.update(data: salt + [UInt8(truncatingIfNeeded: block >> 24), UInt8(truncatingIfNeeded: block >> 16),
                                       UInt8(truncatingIfNeeded: block >> 8), UInt8(truncatingIfNeeded: block)])
            var u = Array(first.finalize())
            var t = u
            if iterations > 1 {
                for _ in 2...iterations {
                    var round = keyed
                    round.update(data: u)
                    u = Array(round.finalize())
                    for i in 0..<t.count { t[i] ^= u[i] }
                }
            }
            output += t
        }
        return Array(output.prefix(max(0, keyLength)))
    }

    /// Compares without an early exit, so the time taken does not reveal how many leading
    /// bytes of a guess were right.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    private static func randomSalt() -> [UInt8] {
        // SymmetricKey draws from the system's cryptographically secure generator.
        SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
    }
}
