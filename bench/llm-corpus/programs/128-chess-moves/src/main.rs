use std::fmt;
use std::str::FromStr;

use anyhow::{Context, Result};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Color {
    White,
    Black,
}

impl Color {
    fn opponent(self) -> Color {
        match self {
            Color::White => Color::Black,
            Color::Black => Color::White,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    King,
    Queen,
    Rook,
    Bishop,
    Knight,
    Pawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    color: Color,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Square {
    file: u8,
    rank: u8,
}

#[derive(Debug, Error, PartialEq)]
enum ChessError {
    #[error("invalid square '{0}'")]
    InvalidSquare(String),
    #[error("square {0} is already occupied")]
    Occupied(Square),
    #[error("invalid FEN: {0}")]
    InvalidFen(String),
    #[error("unknown piece letter '{0}'")]
    UnknownPiece(char),
    #[error("no piece on {0}")]
    EmptySquare(Square),
    #[error("move generation for {0:?} is not supported")]
    Unsupported(Kind),
    #[error("{0:?} must have exactly one king, found {1}")]
    KingCount(Color, usize),
}

impl fmt::Display for Square {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", (b'a' + self.file) as char, self.rank + 1)
    }
}

impl FromStr for Square {
    type Err = ChessError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.trim().as_bytes();
        if b.len() != 2 || !(b'a'..=b'h').contains(&b[0]) || !(b'1'..=b'8').contains(&b[1]) {
            return Err(ChessError::InvalidSquare(s.to_string()));
        }
        Ok(Square { file: b[0] - b'a', rank: b[1] - b'1' })
    }
}

impl Square {
    fn offset(self, df: i8, dr: i8) -> Option<Square> {
        let f = self.file as i8 + df;
        let r = self.rank as i8 + dr;
        ((0..8).contains(&f) && (0..8).contains(&r)).then(|| Square { file: f as u8, rank: r as u8 })
    }
}

impl Piece {
    fn from_char(c: char) -> Result<Piece, ChessError> {
        let color = if c.is_ascii_uppercase() { Color::White } else { Color::Black };
        let kind = match c.to_ascii_lowercase() {
            'k' => Kind::King,
            'q' => Kind::Queen,
            'r' => Kind::Rook,
            'b' => Kind::Bishop,
            'n' => Kind::Knight,
            'p' => Kind::Pawn,
            _ => return Err(ChessError::UnknownPiece(c)),
        };
        Ok(Piece { color, kind })
    }

    fn to_char(self) -> char {
        let c = match self.kind {
            Kind::King => 'k',
            Kind::Queen => 'q',
            Kind::Rook => 'r',
            Kind::Bishop => 'b',
            Kind::Knight => 'n',
            Kind::Pawn => 'p',
        };
        if self.color == Color::White { c.to_ascii_uppercase() } else { c }
    }
}

#[derive(Debug, Clone, Copy)]
struct Move {
    piece: Piece,
    from: Square,
    to: Square,
    capture: Option<Piece>,
}

impl fmt::Display for Move {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sep = if self.capture.is_some() { 'x' } else { '-' };
        write!(f, "{}{}{}{}", self.piece.to_char().to_ascii_uppercase(), self.from, sep, self.to)
    }
}

const KNIGHT: [(i8, i8); 8] = [(1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2)];
const ROOK_DIRS: [(i8, i8); 4] = [(1, 0), (-1, 0), (0, 1), (0, -1)];
const BISHOP_DIRS: [(i8, i8); 4] = [(1, 1), (1, -1), (-1, 1), (-1, -1)];

#[derive(Clone)]
struct Board {
    squares: [[Option<Piece>; 8]; 8],
    side_to_move: Color,
}

impl Board {
    fn get(&self, s: Square) -> Option<Piece> {
        self.squares[s.rank as usize][s.file as usize]
    }

    fn put(&mut self, s: Square, piece: Piece) -> Result<(), ChessError> {
        let cell = &mut self.squares[s.rank as usize][s.file as usize];
        if cell.is_some() {
            return Err(ChessError::Occupied(s));
        }
        *cell = Some(piece);
        Ok(())
    }

    fn all_squares() -> impl Iterator<Item = Square> {
        (0..8u8).flat_map(|rank| (0..8u8).map(move |file| Square { file, rank }))
    }

    fn find_king(&self, color: Color) -> Option<Square> {
        Board::all_squares().find(|&s| self.get(s) == Some(Piece { color, kind: Kind::King }))
    }

    fn is_attacked(&self, sq: Square, by: Color) -> bool {
        let is = |s: Option<Square>, kind: Kind| s.and_then(|s| self.get(s)) == Some(Piece { color: by, kind });
        if KNIGHT.iter().any(|&(df, dr)| is(sq.offset(df, dr), Kind::Knight)) {
            return true;
        }
        if ROOK_DIRS.iter().chain(BISHOP_DIRS.iter()).any(|&(df, dr)| is(sq.offset(df, dr), Kind::King)) {
            return true;
        }
        let pawn_dir = if by == Color::White { -1 } else { 1 };
        if [-1, 1].iter().any(|&df| is(sq.offset(df, pawn_dir), Kind::Pawn)) {
            return true;
        }
        for (dirs, kinds) in [(ROOK_DIRS, [Kind::Rook, Kind::Queen]), (BISHOP_DIRS, [Kind::Bishop, Kind::Queen])] {
            for (df, dr) in dirs {
                let mut cur = sq;
                while let Some(next) = cur.offset(df, dr) {
                    if let Some(p) = self.get(next) {
                        if p.color == by && kinds.contains(&p.kind) {
                            return true;
                        }
                        break;
                    }
                    cur = next;
                }
            }
        }
        false
    }

    fn pseudo_moves_from(&self, from: Square) -> Result<Vec<Move>, ChessError> {
        let piece = self.get(from).ok_or(ChessError::EmptySquare(from))?;
        let (dirs, sliding): (Vec<(i8, i8)>, bool) = match piece.kind {
            Kind::Knight => (KNIGHT.to_vec(), false),
            Kind::Bishop => (BISHOP_DIRS.to_vec(), true),
            Kind::Rook => (ROOK_DIRS.to_vec(), true),
            Kind::Queen => (ROOK_DIRS.iter().chain(BISHOP_DIRS.iter()).copied().collect(), true),
            other => return Err(ChessError::Unsupported(other)),
        };
        let mut moves = Vec::new();
        for (df, dr) in dirs {
            let mut cur = from;
            while let Some(to) = cur.offset(df, dr) {
                match self.get(to) {
                    None => moves.push(Move { piece, from, to, capture: None }),
                    Some(target) => {
                        if target.color != piece.color {
                            moves.push(Move { piece, from, to, capture: Some(target) });
                        }
                        break;
                    }
                }
                if !sliding {
                    break;
                }
                cur = to;
            }
        }
        Ok(moves)
    }

    fn legal_moves_from(&self, from: Square) -> Result<Vec<Move>, ChessError> {
        let moves = self.pseudo_moves_from(from)?;
        Ok(moves
            .into_iter()
            .filter(|m| {
                let mut after = self.clone();
                after.squares[m.from.rank as usize][m.from.file as usize] = None;
                after.squares[m.to.rank as usize][m.to.file as usize] = Some(m.piece);
                match after.find_king(m.piece.color) {
                    Some(king) => !after.is_attacked(king, m.piece.color.opponent()),
                    None => true,
                }
            })
            .collect())
    }

    fn legal_moves(&self) -> Result<Vec<Move>, ChessError> {
        let mut all = Vec::new();
        for sq in Board::all_squares() {
            if let Some(p) = self.get(sq) {
                if p.color == self.side_to_move && matches!(p.kind, Kind::Knight | Kind::Bishop | Kind::Rook | Kind::Queen) {
                    all.extend(self.legal_moves_from(sq)?);
                }
            }
        }
        Ok(all)
    }
}

impl fmt::Display for Board {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for rank in (0..8).rev() {
            write!(f, "{} ", rank + 1)?;
            for file in 0..8 {
                let c = self.squares[rank][file].map(Piece::to_char).unwrap_or('.');
                write!(f, "{c} ")?;
            }
            writeln!(f)?;
        }
        write!(f, "  a b c d e f g h   ({:?} to move)", self.side_to_move)
    }
}

#[derive(Default)]
struct BoardBuilder {
    fen: Option<String>,
    placements: Vec<(String, char)>,
    side: Option<Color>,
    require_kings: bool,
}

impl BoardBuilder {
    fn new() -> Self {
        Self::default()
    }
    fn fen(mut self, fen: &str) -> Self {
        self.fen = Some(fen.to_string());
        self
    }
    fn place(mut self, square: &str, piece: char) -> Self {
        self.placements.push((square.to_string(), piece));
        self
    }
    fn side_to_move(mut self, color: Color) -> Self {
        self.side = Some(color);
        self
    }
    fn require_kings(mut self, yes: bool) -> Self {
        self.require_kings = yes;
        self
    }

    fn build(self) -> Result<Board, ChessError> {
        let mut board = Board { squares: [[None; 8]; 8], side_to_move: Color::White };
        if let Some(fen) = &self.fen {
            board.side_to_move = parse_fen_into(&mut board, fen)?;
        }
        for (square, letter) in &self.placements {
            let sq: Square = square.parse()?;
            board.put(sq, Piece::from_char(*letter)?)?;
        }
        if let Some(side) = self.side {
            board.side_to_move = side;
        }
        if self.require_kings {
            for color in [Color::White, Color::Black] {
                let n = Board::all_squares().filter(|&s| board.get(s) == Some(Piece { color, kind: Kind::King })).count();
                if n != 1 {
                    return Err(ChessError::KingCount(color, n));
                }
            }
        }
        Ok(board)
    }
}

fn parse_fen_into(board: &mut Board, fen: &str) -> Result<Color, ChessError> {
    let mut fields = fen.split_whitespace();
    let placement = fields.next().ok_or_else(|| ChessError::InvalidFen("empty string".into()))?;
    let ranks: Vec<&str> = placement.split('/').collect();
    if ranks.len() != 8 {
        return Err(ChessError::InvalidFen(format!("expected 8 ranks, found {}", ranks.len())));
    }
    for (i, row) in ranks.iter().enumerate() {
        let rank = 7 - i as u8;
        let mut file = 0u8;
        for c in row.chars() {
            if let Some(skip) = c.to_digit(10) {
                file += skip as u8;
            } else {
                if file > 7 {
                    return Err(ChessError::InvalidFen(format!("rank {} is too long", rank + 1)));
                }
                board.put(Square { file, rank }, Piece::from_char(c)?)?;
                file += 1;
            }
        }
        if file != 8 {
            return Err(ChessError::InvalidFen(format!("rank {} has {} files", rank + 1, file)));
        }
    }
    match fields.next() {
        None | Some("w") => Ok(Color::White),
        Some("b") => Ok(Color::Black),
        Some(other) => Err(ChessError::InvalidFen(format!("bad side to move '{other}'"))),
    }
}

fn report(title: &str, board: &Board) -> Result<()> {
    println!("== {title} ==\n{board}");
    let moves = board.legal_moves().with_context(|| format!("generating moves for '{title}'"))?;
    let captures = moves.iter().filter(|m| m.capture.is_some()).count();
    println!("{} legal knight/bishop/rook/queen moves ({} captures):", moves.len(), captures);
    for chunk in moves.chunks(8) {
        println!("  {}", chunk.iter().map(|m| m.to_string()).collect::<Vec<_>>().join("  "));
    }
    println!();
    Ok(())
}

fn main() -> Result<()> {
    let start = BoardBuilder::new()
        .fen("rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w")
        .require_kings(true)
        .build()
        .context("building the starting position")?;
    report("Starting position", &start)?;

    let italian = BoardBuilder::new()
        .fen("r1bqkb1r/pppp1ppp/2n2n2/4p2Q/2B1P3/8/PPPP1PPP/RNB1K1NR w")
        .build()
        .context("building the Scholar's mate position")?;
    report("Scholar's mate threat", &italian)?;

    let pinned = BoardBuilder::new()
        .place("e1", 'K')
        .place("e2", 'B')
        .place("d4", 'N')
        .place("h1", 'R')
        .place("e8", 'r')
        .place("a8", 'k')
        .place("b6", 'q')
        .side_to_move(Color::White)
        .require_kings(true)
        .build()
        .context("building the pin position")?;
    report("Pinned bishop", &pinned)?;
    let e2: Square = "e2".parse()?;
    println!("Bishop on e2 has {} legal moves (pinned by the rook on e8)\n", pinned.legal_moves_from(e2)?.len());

    println!("== Error handling ==");
    let attempts: Vec<(&str, BoardBuilder)> = vec![
        ("bad square", BoardBuilder::new().place("z9", 'Q')),
        ("double placement", BoardBuilder::new().place("d4", 'N').place("d4", 'b')),
        ("unknown piece", BoardBuilder::new().place("a1", 'X')),
        ("short FEN", BoardBuilder::new().fen("8/8/8/8 w")),
        ("missing kings", BoardBuilder::new().place("a1", 'Q').require_kings(true)),
    ];
    for (label, builder) in attempts {
        let result = builder.build().with_context(|| format!("case '{label}'"));
        if let Err(e) = result {
            println!("  {e:#}");
        }
    }
    let query = start
        .legal_moves_from("e2".parse()?)
        .context("asking for pawn moves");
    if let Err(e) = query {
        println!("  {e:#}");
    }
    Ok(())
}
