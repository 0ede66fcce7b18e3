@testable import TranscriptFsck

/// The fixtures name sessions with `String`; a finding's id equals one when it has exactly its UTF-8 bytes.
func == (id: SessionID, text: String) -> Bool { id == SessionID(text) }
func == (id: SessionID?, text: String) -> Bool { id == SessionID(text) }
func == (ids: [SessionID], texts: [String]) -> Bool { ids == texts.map { SessionID($0) } }
