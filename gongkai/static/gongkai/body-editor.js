// The catalog item's body editor: Jodit on the textarea named "body", limited to the
// structure the sanitiser keeps (gongkai.lib.html.ALLOWED_TAGS). A paste from Word or WPS
// keeps paragraphs, headings, lists and tables and drops the styles.
(function () {
  "use strict";
  // Jodit sets some styles with setAttribute("style", …), which the Content-Security-Policy
  // refuses (style attributes); the same declarations through the CSSOM are allowed.
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === "style" && this.style) {
      this.style.cssText = String(value);
      return;
    }
    setAttribute.call(this, name, value);
  };
  function start() {
    if (typeof window.Jodit === "undefined") return; // the plain textarea stays
    document.querySelectorAll("textarea[name=body]").forEach(function (area) {
      var label = document.querySelector('label[for="' + area.id + '"]');
      var editor = window.Jodit.make(area, {
        language: "zh_cn",
        height: 420,
        toolbarAdaptive: false,
        toolbarSticky: false,
        buttons: [
          "paragraph", "bold", "italic", "underline", "|", "ul", "ol", "outdent", "indent", "|",
          "table", "link", "|", "undo", "redo", "|", "source"
        ],
        // The source view in a plain textarea: no ace or js-beautify from a CDN, which the
        // Content-Security-Policy refuses and intranets cannot reach.
        sourceEditor: "area",
        beautifyHTML: false,
        showPlaceholder: false, // its markup carries a style attribute
        askBeforePasteHTML: false,
        askBeforePasteFromWord: false,
        defaultActionOnPaste: "insert_clear_html",
        defaultActionOnPasteFromWord: "insert_clear_html",
        showCharsCounter: false,
        showWordsCounter: false,
        showXPathInStatusbar: false,
        uploader: { insertImageAsBase64URI: false },
        disablePlugins: "speech-recognize,about,file,image,video,media,print,ai-assistant"
      });
      editor.editor.setAttribute("role", "textbox");
      editor.editor.setAttribute("aria-multiline", "true");
      editor.editor.dataset.bodyEditor = "";
      if (label) editor.editor.setAttribute("aria-label", label.textContent.trim());
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
