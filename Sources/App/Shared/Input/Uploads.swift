import Vapor
import DiandanCore

/// A checked image, written to the uploads folder under a random name.
struct StoredPhoto: Sendable {
    let file: String
    let kind: ImageKind
    let bytes: Int
}

/// A photo that passed every check (an image by its content, within the size, its metadata
/// stripped), not yet written anywhere.
struct PendingPhoto: Sendable {
    let name: String
    let kind: ImageKind
    let bytes: [UInt8]
}

struct UploadStore: Sendable {
    let directory: String

    /// Checks every photo (type by content, size, count) and removes what it says about itself
    /// (EXIF with the GPS position, XMP, text chunks; a JPEG keeps its orientation). Writes nothing.
    static func check(_ files: [(name: String, data: ByteBuffer)], field: String = "photos", max: Int = ImageKind.maxCount) throws -> [PendingPhoto] {
        guard files.count <= max else { throw ValidationFailure(field: field, "error.photo.too_many", ["max": String(max)]) }
        var checked: [PendingPhoto] = []
        for f in files {
            let name = String(f.name.prefix(60))
            guard f.data.readableBytes <= ImageKind.maxBytes else { throw ValidationFailure(field: field, "error.photo.too_big", ["name": name]) }
            let bytes = Array(f.data.readableBytesView)
            guard let kind = ImageKind.sniff(bytes), let stripped = ImageMetadata.strip(bytes, kind) else {
                throw ValidationFailure(field: field, "error.photo.not_image", ["name": name])
            }
            checked.append(PendingPhoto(name: name, kind: kind, bytes: stripped))
        }
        return checked
    }

    /// Checks every photo first, then writes them; nothing is written unless all of them pass.
    func store(_ files: [(name: String, data: ByteBuffer)], under folder: String, field: String = "photos") throws -> [StoredPhoto] {
        try write(try Self.check(files, field: field), under: folder)
    }

    /// Writes checked photos under random names; on a failure midway, those written are removed.
    func write(_ photos: [PendingPhoto], under folder: String) throws -> [StoredPhoto] {
        guard !photos.isEmpty else { return [] }
        let dir = directory + "/" + folder
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var stored: [StoredPhoto] = []
        do {
            for p in photos {
                let name = folder + "/" + TokenDigest.random(bytes: 12) + "." + p.kind.fileExtension
                guard FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(p.bytes)) else { throw Abort(.internalServerError) }
                stored.append(StoredPhoto(file: name, kind: p.kind, bytes: p.bytes.count))
            }
        } catch {
            remove(stored)
            throw error
        }
        return stored
    }

    func remove(_ photos: [StoredPhoto]) {
        for p in photos { try? FileManager.default.removeItem(atPath: directory + "/" + p.file) }
    }

    func path(of file: String) -> String { directory + "/" + file }
}

/// Files written during a transaction, to be removed if it does not commit.
final class WrittenFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var files: [StoredPhoto] = []

    func add(_ more: [StoredPhoto]) { lock.withLock { files += more } }
    var all: [StoredPhoto] { lock.withLock { files } }
}
