//! Exposes the phoneme durations that a Piper (VITS) graph computes inside.
//!
//! The exported graph rounds each phoneme's predicted length up to whole
//! spectrogram frames (`w_ceil = ceil(w)`, one `Ceil` node) and the decoder
//! then emits exactly `sum(w_ceil) × hop` samples. The standard export does
//! not output `w_ceil`, so at load time we add the `Ceil` node's output to the
//! graph's outputs. The durations are then the ones the audio was made with:
//! phoneme timing is exact to the frame (hop 256 at 22,050 Hz = 11.6 ms).
//!
//! How: protobuf merges a repeated embedded message that appears twice, so
//! appending `ModelProto.graph { output: ValueInfoProto { name, type } }` to
//! the model bytes adds one graph output without re-encoding 60 MB. We only
//! walk the wire format far enough to find the node; nothing is decoded into
//! a schema, and a file that is not an ONNX model gives an error, not a panic.

/// Field numbers from onnx.proto.
const MODEL_GRAPH: u32 = 7;
const GRAPH_NODE: u32 = 1;
const GRAPH_OUTPUT: u32 = 12;
const NODE_OUTPUT: u32 = 2;
const NODE_OP_TYPE: u32 = 4;
const VALUE_INFO_NAME: u32 = 1;
const VALUE_INFO_TYPE: u32 = 2;
const TYPE_TENSOR: u32 = 1;
const TENSOR_ELEM_TYPE: u32 = 1;
const FLOAT: u64 = 1;

/// One wire-format field: number and, for length-delimited fields, the bytes.
struct Field<'a> {
    number: u32,
    bytes: Option<&'a [u8]>,
}

/// Iterates the top-level fields of one protobuf message.
struct Fields<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Fields<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes, failed: false }
    }
}

fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        if self.rest.is_empty() || self.failed {
            return None;
        }
        let parsed = (|| {
            let key = read_varint(&mut self.rest)?;
            let number = u32::try_from(key >> 3).ok()?;
            let bytes = match key & 7 {
                0 => {
                    read_varint(&mut self.rest)?;
                    None
                }
                1 => {
                    self.rest = self.rest.get(8..)?;
                    None
                }
                2 => {
                    let len = usize::try_from(read_varint(&mut self.rest)?).ok()?;
                    let (body, rest) = (self.rest.get(..len)?, self.rest.get(len..)?);
                    self.rest = rest;
                    Some(body)
                }
                5 => {
                    self.rest = self.rest.get(4..)?;
                    None
                }
                _ => return None,
            };
            Some(Field { number, bytes })
        })();
        if parsed.is_none() {
            self.failed = true;
        }
        parsed
    }
}

fn string_field(message: &[u8], number: u32) -> Vec<&[u8]> {
    Fields::new(message).filter(|f| f.number == number).filter_map(|f| f.bytes).collect()
}

/// The names of the outputs of every `op_type` node in the model's main graph.
/// `None` when the bytes are not an ONNX model with a graph.
pub fn node_outputs(model: &[u8], op_type: &str) -> Option<Vec<String>> {
    let mut graphs = Fields::new(model).filter(|f| f.number == MODEL_GRAPH).filter_map(|f| f.bytes).peekable();
    graphs.peek()?;
    let mut names = Vec::new();
    for graph in graphs {
        for node in string_field(graph, GRAPH_NODE) {
            if string_field(node, NODE_OP_TYPE).first().is_some_and(|t| *t == op_type.as_bytes()) {
                names.extend(string_field(node, NODE_OUTPUT).iter().map(|n| String::from_utf8_lossy(n).into_owned()));
            }
        }
    }
    Some(names)
}

/// The names of the main graph's outputs.
pub fn graph_outputs(model: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for graph in string_field(model, MODEL_GRAPH) {
        for info in string_field(graph, GRAPH_OUTPUT) {
            if let Some(name) = string_field(info, VALUE_INFO_NAME).first() {
                names.push(String::from_utf8_lossy(name).into_owned());
            }
        }
    }
    names
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_len_field(out: &mut Vec<u8>, number: u32, body: &[u8]) {
    put_varint(out, (u64::from(number) << 3) | 2);
    put_varint(out, body.len() as u64);
    out.extend_from_slice(body);
}

/// Appends a float graph output named `name` to `model` (see the module doc).
pub fn add_float_output(model: &mut Vec<u8>, name: &str) {
    let mut tensor = Vec::new();
    put_varint(&mut tensor, u64::from(TENSOR_ELEM_TYPE) << 3);
    put_varint(&mut tensor, FLOAT);
    let mut ty = Vec::new();
    put_len_field(&mut ty, TYPE_TENSOR, &tensor);
    let mut info = Vec::new();
    put_len_field(&mut info, VALUE_INFO_NAME, name.as_bytes());
    put_len_field(&mut info, VALUE_INFO_TYPE, &ty);
    let mut graph = Vec::new();
    put_len_field(&mut graph, GRAPH_OUTPUT, &info);
    put_len_field(model, MODEL_GRAPH, &graph);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_model() -> Vec<u8> {
        // ModelProto { graph { node { output: "d", op_type: "Ceil" } output { name: "y" } } }
        let mut node = Vec::new();
        put_len_field(&mut node, NODE_OUTPUT, b"d");
        put_len_field(&mut node, NODE_OP_TYPE, b"Ceil");
        let mut info = Vec::new();
        put_len_field(&mut info, VALUE_INFO_NAME, b"y");
        let mut graph = Vec::new();
        put_len_field(&mut graph, GRAPH_NODE, &node);
        put_len_field(&mut graph, GRAPH_OUTPUT, &info);
        let mut model = Vec::new();
        put_varint(&mut model, 1 << 3);
        put_varint(&mut model, 8);
        put_len_field(&mut model, MODEL_GRAPH, &graph);
        model
    }

    #[test]
    fn finds_node_and_appends_output() {
        let mut model = tiny_model();
        assert_eq!(node_outputs(&model, "Ceil").unwrap(), vec!["d".to_string()]);
        add_float_output(&mut model, "d");
        assert_eq!(graph_outputs(&model), vec!["y".to_string(), "d".to_string()]);
    }

    #[test]
    fn garbage_is_not_a_model() {
        assert!(node_outputs(b"", "Ceil").is_none());
        assert!(node_outputs(&[0xff; 64], "Ceil").is_none());
        assert!(node_outputs(b"\x3a\xff\xff\xff\xff\x0f", "Ceil").is_none());
        let truncated = &tiny_model()[..10];
        assert!(node_outputs(truncated, "Ceil").is_none_or(|v| v.is_empty()));
    }
}
