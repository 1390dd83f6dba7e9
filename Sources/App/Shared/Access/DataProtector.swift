import Foundation
import Crypto

/// Personal data (ID numbers, phone numbers) is stored sealed with AES-GCM and looked up by a keyed
/// hash, never in the clear. Both keys are derived from DIANDAN_SECRET.
public struct DataProtector: Sendable {
    private let sealKey: SymmetricKey
    private let hashKey: SymmetricKey
    private let signKey: SymmetricKey
    /// A password hash of nothing, checked when a username does not exist so both paths cost the same.
    let decoyHash: String

    public init(secret: String, decoyHash: String = "") {
        self.decoyHash = decoyHash
        let master = SymmetricKey(data: Data(secret.utf8))
        sealKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("diandan/seal/v1".utf8), outputByteCount: 32)
        hashKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("diandan/lookup/v1".utf8), outputByteCount: 32)
        signKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data("diandan/sign/v1".utf8), outputByteCount: 32)
    }

    public func seal(_ plain: String) throws -> String {
        let box = try AES.GCM.seal(Data(plain.utf8), using: sealKey)
        guard let combined = box.combined else { throw ProtectorError.sealFailed }
        return combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw ProtectorError.corrupt }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: sealKey)
        guard let s = String(data: plain, encoding: .utf8) else { throw ProtectorError.corrupt }
        return s
    }

    /// A deterministic keyed hash for uniqueness and lookup (e.g. duplicate ID numbers).
    public func lookupHash(_ plain: String) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data(plain.utf8), using: hashKey))
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        for b in bytes { out.append(hexDigits[Int(b >> 4)]); out.append(hexDigits[Int(b & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A short signature for URLs (check-in codes): HMAC-SHA256, 128 bits, base64url.
    public func sign(_ message: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: signKey)
        return Data(mac.prefix(16)).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares in constant time.
    public func verify(_ message: String, signature: String) -> Bool {
        let expected = Array(sign(message).utf8), given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    enum ProtectorError: Error { case sealFailed, corrupt }
}

enum TokenDigest {
    /// Bearer tokens and session-independent secrets are stored only as their SHA-256.
    static func sha256(_ s: String) -> String {
        // Every bearer token is hashed on every request: hex by table, not by String(format:).
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(s.utf8)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func random(bytes: Int = 32) -> String {
        var g = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(raw).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
