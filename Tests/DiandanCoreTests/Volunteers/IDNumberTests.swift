import Foundation
import Testing
@testable import DiandanCore

@Suite("GB 11643 ID numbers and mobile numbers")
struct IDNumberTests {
    let today = Calendar.chinaStandard.date(from: DateComponents(year: 2026, month: 11, day: 22))!

    @Test func theStandardsOwnExampleIsValid() throws {
        // The example printed in GB 11643-1999: check character X.
        let id = try IDNumber.parse("11010519491231002X", today: today).get()
        #expect(id.birthDate == "1949-12-31")
        #expect(id.gender == .female)
        #expect(id.masked == "110***********002X")
        #expect(id.age(on: today) == 76)
    }

    @Test func checkCharacterIsComputedFromTheWeights() {
        #expect(IDNumber.checkCharacter(for: "11010519491231002") == "X")
        #expect(IDNumber.checkCharacter(for: "44052418800101001") == "4")
        #expect(IDNumber.checkCharacter(for: "4405241880010100") == nil)
    }

    @Test func aLowercaseXAndSurroundingSpacesAreAccepted() throws {
        let id = try IDNumber.parse(" 11010519491231002x ", today: today).get()
        #expect(id.value == "11010519491231002X")
    }

    @Test(arguments: [
        ("11010519491231002", IDNumber.Problem.length),
        ("110105194912310021X", .length),
        ("1101051949123100A2", .characters),
        ("91010519491231002X", .region),
        ("01010519491231002X", .region),
        ("110105194902300021", .birthDate),
        ("110105203001010021", .birthDate),
        ("110105180001010021", .birthDate),
        ("110105194912310021", .checkDigit),
    ])
    func invalidNumbersAreRefusedWithTheReason(raw: String, problem: IDNumber.Problem) {
        #expect(throws: problem) { try IDNumber.parse(raw, today: today).get() }
    }

    @Test func composedNumbersParseBack() throws {
        for seq in [1, 2, 99, 500, 999] {
            let raw = IDNumber.compose(region: "360781", birth: "19850314", sequence: seq)
            let id = try IDNumber.parse(raw, today: today).get()
            #expect(id.gender == (seq % 2 == 1 ? .male : .female))
            #expect(id.birthDate == "1985-03-14")
        }
    }

    @Test func mobileNumbersAreNormalised() {
        #expect(PhoneNumber.parse("138 0013 8000")?.value == "13800138000")
        #expect(PhoneNumber.parse("+86 139-0000-1111")?.value == "13900001111")
        #expect(PhoneNumber.parse("13800138000")?.masked == "138****8000")
        #expect(PhoneNumber.parse("13800138000")?.readable == "138 0013 8000")
        #expect(PhoneNumber.parse("0797 2212345", landline: true)?.readable == "0797-2212345")
        #expect(PhoneNumber.parse("010-12345678", landline: true)?.readable == "010-12345678")
        #expect(PhoneNumber.parse("12800138000") == nil)
        #expect(PhoneNumber.parse("1380013800") == nil)
        #expect(PhoneNumber.parse("0791-8888888") == nil)
        #expect(PhoneNumber.parse("１３８００１３８０００") == nil)
    }
}
