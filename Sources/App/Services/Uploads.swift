import Vapor
import DiandanCore

/// A checked image, written to the uploads folder under a random name.
struct StoredPhoto: Sendable {
    let file: String
    let kind: ImageKind
    let bytes: Int
}

struct UploadStore: Sendable {
    let directory: String

    /// Checks every photo first (type by content, size, count), then writes them; nothing is written
    /// unless all of them pass.
    func store(_ files: [(name: String, data: ByteBuffer)], under folder: String) throws -> [StoredPhoto] {
        guard files.count <= ImageKind.maxCount else { throw ValidationFailure(field: "photos", "error.photo.too_many", ["max": String(ImageKind.maxCount)]) }
        var checked: [(ImageKind, [UInt8])] = []
        for f in files {
            guard f.data.readableBytes <= ImageKind.maxBytes else { throw ValidationFailure(field: "photos", "error.photo.too_big", ["name": String(f.name.prefix(60))]) }
            let bytes = Array(f.data.readableBytesView)
            guard let kind = ImageKind.sniff(bytes) else { throw ValidationFailure(field: "photos", "error.photo.not_image", ["name": String(f.name.prefix(60))]) }
            checked.append((kind, bytes))
        }
        let dir = directory + "/" + folder
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var stored: [StoredPhoto] = []
        do {
            for (kind, bytes) in checked {
                let name = folder + "/" + TokenDigest.random(bytes: 12) + "." + kind.fileExtension
                guard FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes)) else { throw Abort(.internalServerError) }
                stored.append(StoredPhoto(file: name, kind: kind, bytes: bytes.count))
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
