/* keys.js -- the copy buttons of the DKIM keys page (templates/web-admin-keys.html).
 * The page works without it: the record is selectable text and the buttons stay
 * hidden.  With it, each button (data-copy = the id of the <code> to copy) is
 * shown and copies the record to the clipboard. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
	if (!navigator.clipboard)
		return;
	document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
		var code = document.getElementById(button.getAttribute("data-copy"));

		if (!code)
			return;
		button.hidden = false;
		button.addEventListener("click", function () {
			navigator.clipboard.writeText(code.textContent).then(function () {
				button.textContent = "Copied";
			}, function () {
				button.textContent = "Copy failed: select the text";
			});
		});
	});
});
