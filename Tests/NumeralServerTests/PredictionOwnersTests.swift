import Foundation
@testable import NumeralSession
import XCTest

final class PredictionOwnersTests: XCTestCase {
    func testRemembersTheLastPredictionsAndForgetsTheOldestFirst() {
        let owners = PredictionOwners(capacity: 3)
        let ids = (0..<5).map { _ in UUID().uuidString.lowercased() }
        for (i, id) in ids.enumerated() { owners.record(id: id, client: "client-\(i)") }
        XCTAssertNil(owners.owner(of: ids[0]))
        XCTAssertNil(owners.owner(of: ids[1]))
        XCTAssertEqual(owners.owner(of: ids[2]), "client-2")
        XCTAssertEqual(owners.owner(of: ids[4]), "client-4")
        // Recording the same id again changes nothing and evicts nothing.
        owners.record(id: ids[4], client: "someone else")
        XCTAssertEqual(owners.owner(of: ids[4]), "client-4")
        XCTAssertEqual(owners.owner(of: ids[2]), "client-2")
        XCTAssertNil(owners.owner(of: "not-a-uuid"))
    }
}
