import Foundation
import DiandanCore

/// JSON Schemas of our response types, read off their `Decodable` conformance: the type is asked to
/// decode itself from a decoder that answers every question with a placeholder and writes down what
/// was asked — each key, its type, and whether it was optional. So the OpenAPI document follows the
/// DTOs as they are, and cannot drift from them.
enum SchemaReflector {
    indirect enum Node {
        case string(format: String?)
        case integer
        case number
        case boolean
        case enumeration([String])
        case array(Node)
        /// Properties in declaration order: name, schema, required.
        case object([(String, Node, Bool)])
        /// A dictionary, or something we cannot see into.
        case anyObject

        var doc: GeoDoc {
            switch self {
            case .string(let format?): .object([("type", .text("string")), ("format", .text(format))])
            case .string: .object([("type", .text("string"))])
            case .integer: .object([("type", .text("integer"))])
            case .number: .object([("type", .text("number"))])
            case .boolean: .object([("type", .text("boolean"))])
            case .enumeration(let cases): .object([("type", .text("string")), ("enum", .array(item: "e", cases.map(GeoDoc.text)))])
            case .array(let item): .object([("type", .text("array")), ("items", item.doc)])
            case .anyObject: .object([("type", .text("object"))])
            case .object(let props):
                .object([
                    ("type", .text("object")),
                    ("properties", .object(props.map { name, node, required in (name, required ? node.doc : node.nullable) })),
                    ("required", .array(item: "r", props.filter(\.2).map { .text($0.0) })),
                ])
            }
        }

        /// Optional properties are left out when nil; `null` is allowed all the same.
        var nullable: GeoDoc {
            guard case .object(var pairs) = doc, let i = pairs.firstIndex(where: { $0.0 == "type" }), case .text(let t) = pairs[i].1 else { return doc }
            pairs[i] = ("type", .array(item: "t", [.text(t), .text("null")]))
            if let e = pairs.firstIndex(where: { $0.0 == "enum" }), case .array(let item, let cases) = pairs[e].1 {
                pairs[e] = ("enum", .array(item: item, cases + [.null]))
            }
            return .object(pairs)
        }
    }

    static func schema<T: Decodable>(_ type: T.Type) -> Node {
        node(for: type).node
    }

    /// The schema of `T` and a placeholder value of it.
    static func node<T: Decodable>(for type: T.Type) -> (node: Node, value: T?) {
        switch type {
        case is String.Type: return (.string(format: nil), "" as? T)
        case is Int.Type: return (.integer, 0 as? T)
        case is Int64.Type: return (.integer, Int64(0) as? T)
        case is Int32.Type: return (.integer, Int32(0) as? T)
        case is Double.Type: return (.number, 0.0 as? T)
        case is Float.Type: return (.number, Float(0) as? T)
        case is Bool.Type: return (.boolean, false as? T)
        case is Date.Type: return (.string(format: "date-time"), Date(timeIntervalSince1970: 0) as? T)
        case is UUID.Type: return (.string(format: "uuid"), UUID() as? T)
        default: break
        }
        if let e = type as? any (CaseIterable & RawRepresentable).Type {
            let cases = e.allCaseNames
            return (.enumeration(cases.names), cases.first as? T)
        }
        if String(describing: type).hasPrefix("Dictionary<") { return (.anyObject, try? T(from: EmptyDictionaryDecoder())) }
        let box = Box()
        let value = try? T(from: Reflecting(box: box))
        return (box.node ?? .anyObject, value)
    }

    final class Box {
        var node: Node?
        var properties: [(String, Node, Bool)] = []
    }

    struct Reflecting: Decoder {
        let box: Box
        var codingPath: [CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(box: box))
        }

        func unkeyedContainer() throws -> UnkeyedDecodingContainer { Unkeyed(box: box) }
        func singleValueContainer() throws -> SingleValueDecodingContainer { Single(box: box) }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let box: Box
        var codingPath: [CodingKey] = []
        var allKeys: [Key] { [] }

        init(box: Box) {
            self.box = box
            if box.node == nil { box.node = .object([]) }
        }

        func contains(_ key: Key) -> Bool { true }

        private func record(_ key: Key, _ node: Node, required: Bool) {
            box.properties.removeAll { $0.0 == key.stringValue }
            box.properties.append((key.stringValue, node, required))
            box.node = .object(box.properties)
        }

        func decodeNil(forKey key: Key) throws -> Bool { false }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let (node, value) = SchemaReflector.node(for: type)
            record(key, node, required: true)
            guard let value else { throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "no placeholder for \(type)")) }
            return value
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(type, key) }

        // The protocol's own overloads for primitives would otherwise ask `contains` and `decode`,
        // and an optional number would look required.
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }

        private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
            record(key, SchemaReflector.node(for: type).node, required: false)
            return nil
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "nested containers are not reflected"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            throw DecodingError.dataCorrupted(.init(codingPath: [key], debugDescription: "nested containers are not reflected"))
        }

        func superDecoder() throws -> Decoder { Reflecting(box: Box()) }
        func superDecoder(forKey key: Key) throws -> Decoder { Reflecting(box: Box()) }
    }

    /// An array: one element is asked for, and its schema is the items'.
    struct Unkeyed: UnkeyedDecodingContainer {
        let box: Box
        var codingPath: [CodingKey] = []
        var count: Int? { 1 }
        var isAtEnd: Bool { currentIndex > 0 }
        var currentIndex = 0

        init(box: Box) {
            self.box = box
            if box.node == nil { box.node = .array(.anyObject) }
        }

        mutating func decodeNil() throws -> Bool { false }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            currentIndex += 1
            let (node, value) = SchemaReflector.node(for: type)
            box.node = .array(node)
            guard let value else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no placeholder for \(type)")) }
            return value
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "nested containers are not reflected"))
        }

        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "nested containers are not reflected"))
        }

        mutating func superDecoder() throws -> Decoder { Reflecting(box: Box()) }
    }

    struct Single: SingleValueDecodingContainer {
        let box: Box
        var codingPath: [CodingKey] = []

        func decodeNil() -> Bool { false }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (node, value) = SchemaReflector.node(for: type)
            box.node = node
            guard let value else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no placeholder for \(type)")) }
            return value
        }
    }

    /// Decodes any dictionary as empty.
    struct EmptyDictionaryDecoder: Decoder {
        var codingPath: [CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]
        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed<Key>(box: Box()))
        }
        func unkeyedContainer() throws -> UnkeyedDecodingContainer { Unkeyed(box: Box()) }
        func singleValueContainer() throws -> SingleValueDecodingContainer { Single(box: Box()) }
    }
}

private extension CaseIterable where Self: RawRepresentable {
    static var allCaseNames: (names: [String], first: Any?) {
        (allCases.map { "\($0.rawValue)" }, allCases.first)
    }
}
