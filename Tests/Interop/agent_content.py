"""How hermes-agent stores message content, for the interop scripts: one copy of each rule."""
import json


def flattened(content):
    """What the 0.13/0.14 flush stores for list content: text parts joined by newlines, [screenshot] per image."""
    if not isinstance(content, list):
        return content
    parts = []
    for part in content:
        if isinstance(part, dict) and part.get("type") == "text":
            parts.append(str(part.get("text", "")))
        elif isinstance(part, dict) and part.get("type") in {"image", "image_url", "input_image"}:
            parts.append("[screenshot]")
    return "\n".join(parts) if parts else None


def decoded(content):
    """SessionDB._decode_content: a "\\0json:" value is the JSON it encodes."""
    if isinstance(content, str) and content.startswith("\x00json:"):
        return json.loads(content[len("\x00json:"):])
    return content
