//! A twin's own 3D avatar: a VRM model its owner chose, kept with the twin
//! (`avatar.vrm` in its folder) and drawn instead of the built-in face.
//!
//! Invariants: only a binary glTF 2.0 file that declares a VRM extension
//! (`VRM` 0.x or `VRMC_vrm` 1.0) and is at most 200 MB is kept; the file is
//! copied whole or not at all; `Appearance::vrm` names the model exactly
//! when the file is there.

use std::path::Path;

use alter_core::{TwinId, TwinParams};

use crate::{Engine, EngineError};

/// Largest avatar accepted (the same bound the webview applies).
pub const MAX_AVATAR_BYTES: u64 = 200 << 20;
/// The model's name inside the twin's folder.
const AVATAR_FILE: &str = "avatar.vrm";

impl Engine {
    /// Checks `path` is a VRM model and keeps a copy as the twin's avatar.
    pub async fn set_avatar_model(&self, twin: &TwinId, path: &Path) -> Result<TwinParams, EngineError> {
        let mut params = self.twin_params(twin).await?;
        let dir = self.config().twin_dir(twin);
        let src = path.to_path_buf();
        tokio::task::spawn_blocking(move || -> Result<(), EngineError> {
            check_vrm_file(&src)?;
            std::fs::create_dir_all(&dir).map_err(|source| EngineError::Io {
                action: "create",
                path: dir.clone(),
                source,
            })?;
            let temp = dir.join(".avatar.vrm.part");
            std::fs::copy(&src, &temp).map_err(|source| EngineError::Io {
                action: "copy",
                path: src.clone(),
                source,
            })?;
            let target = dir.join(AVATAR_FILE);
            std::fs::rename(&temp, &target).map_err(|source| EngineError::Io { action: "save", path: target, source })
        })
        .await
        .map_err(|e| EngineError::Internal(e.to_string()))??;
        params.appearance.vrm = Some(AVATAR_FILE.into());
        self.update_twin(twin, params.clone()).await?;
        Ok(params)
    }

    /// The twin's VRM model, if it has one.
    pub async fn avatar_model(&self, twin: &TwinId) -> Result<Option<Vec<u8>>, EngineError> {
        let params = self.twin_params(twin).await?;
        if params.appearance.vrm.is_none() {
            return Ok(None);
        }
        let path = self.config().twin_dir(twin).join(AVATAR_FILE);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(EngineError::Io { action: "read", path, source }),
        }
    }

    /// Goes back to the built-in face; the model file is deleted.
    pub async fn remove_avatar_model(&self, twin: &TwinId) -> Result<TwinParams, EngineError> {
        let mut params = self.twin_params(twin).await?;
        let path = self.config().twin_dir(twin).join(AVATAR_FILE);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(EngineError::Io { action: "remove", path, source }),
        }
        params.appearance.vrm = None;
        self.update_twin(twin, params.clone()).await?;
        Ok(params)
    }
}

/// Refuses anything that is not a binary glTF 2.0 declaring a VRM extension.
fn check_vrm_file(path: &Path) -> Result<(), EngineError> {
    use std::io::Read;
    let bad = |why: &str| EngineError::BadInput(format!("{} is not a VRM avatar: {why}", path.display()));
    let meta = std::fs::metadata(path).map_err(|_| bad("there is no such file"))?;
    if !meta.is_file() {
        return Err(bad("it is not a file"));
    }
    if meta.len() > MAX_AVATAR_BYTES {
        return Err(bad("it is larger than 200 MB; export it again with smaller textures"));
    }
    let mut file =
        std::fs::File::open(path).map_err(|source| EngineError::Io { action: "read", path: path.into(), source })?;
    let mut header = [0u8; 20];
    file.read_exact(&mut header).map_err(|_| bad("the file is empty or cut short"))?;
    let word = |i: usize| u32::from_le_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    if &header[0..4] != b"glTF" {
        return Err(bad("it is not a binary glTF (.vrm/.glb) file"));
    }
    if word(4) != 2 {
        return Err(bad("only glTF 2.0 models are supported"));
    }
    if u64::from(word(8)) != meta.len() {
        return Err(bad("the file is cut short or has extra bytes; copy it again"));
    }
    let json_len = word(12) as usize;
    if &header[16..20] != b"JSON" || json_len as u64 > meta.len() {
        return Err(bad("its glTF description is missing"));
    }
    let mut json = vec![0u8; json_len];
    file.read_exact(&mut json).map_err(|_| bad("the file is cut short"))?;
    let doc: serde_json::Value = serde_json::from_slice(&json).map_err(|_| bad("its glTF description is damaged"))?;
    let declares = |name: &str| doc.pointer(&format!("/extensions/{name}")).is_some();
    if !declares("VRMC_vrm") && !declares("VRM") {
        return Err(bad("it is a 3D model without VRM avatar data; export it as VRM (e.g. from VRoid Studio)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glb(json: &str, declared_len: Option<u32>) -> Vec<u8> {
        let mut body = json.as_bytes().to_vec();
        while !body.len().is_multiple_of(4) {
            body.push(b' ');
        }
        let total = 12 + 8 + body.len() as u32;
        let mut out = b"glTF".to_vec();
        out.extend(2u32.to_le_bytes());
        out.extend(declared_len.unwrap_or(total).to_le_bytes());
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(b"JSON");
        out.extend(body);
        out
    }

    fn check(bytes: &[u8]) -> Result<(), EngineError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.vrm");
        std::fs::write(&path, bytes).unwrap();
        check_vrm_file(&path)
    }

    #[test]
    fn accepts_vrm_1_and_0() {
        check(&glb(r#"{"asset":{"version":"2.0"},"extensions":{"VRMC_vrm":{"specVersion":"1.0"}}}"#, None)).unwrap();
        check(&glb(r#"{"asset":{"version":"2.0"},"extensions":{"VRM":{}}}"#, None)).unwrap();
    }

    #[test]
    fn refuses_what_is_not_a_vrm_with_the_reason() {
        let plain = glb(r#"{"asset":{"version":"2.0"}}"#, None);
        let cut = glb(r#"{"extensions":{"VRM":{}}}"#, Some(9_999));
        let cases: [(&[u8], &str); 6] = [
            (b"", "empty or cut short"),
            (b"%PDF-1.7 not a model at all", "not a binary glTF"),
            (&plain, "without VRM avatar data"),
            (&cut, "cut short"),
            (b"glTF\x01\x00\x00\x00\x14\x00\x00\x00\x00\x00\x00\x00JSON", "glTF 2.0"),
            (&glb("{not json", None), "damaged"),
        ];
        for (bytes, expected) in cases {
            let err = check(bytes).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected:?} not in {err:?}");
        }
        let missing = check_vrm_file(Path::new("/nonexistent/alter/model.vrm")).unwrap_err();
        assert!(missing.to_string().contains("no such file"));
    }
}
