;;; eglot_driver.el --- Drive Emacs eglot through one rustcoder quick fix -*- lexical-binding: t -*-
;; Run as: emacs --batch -q -l eglot_driver.el
;; Inputs (environment, set by test_emacs.py): RC_CMD (JSON list), RC_FILE, RC_CODE,
;; RC_EXPECT, RC_TIMEOUT.  Prints a transcript; exits 0 when the fix was applied
;; and the file saved.
(require 'json)
(require 'eglot)

(defun rc-say (fmt &rest args)
  (princ (concat "[emacs] " (apply #'format fmt args) "\n")))

(defun rc-fail (fmt &rest args)
  (rc-say "FAIL: %s" (apply #'format fmt args))
  (kill-emacs 1))

(defvar rc-timeout (string-to-number (or (getenv "RC_TIMEOUT") "120")))

(defun rc-wait (what predicate)
  (let ((deadline (+ (float-time) rc-timeout)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline)
        (rc-fail "timed out waiting for %s" what))
      (accept-process-output nil 0.05))))

;; Emacs 28 has no Rust mode; eglot derives the languageId "rust" from the name.
(define-derived-mode rust-mode prog-mode "Rust")
(add-to-list 'auto-mode-alist '("\\.rs\\'" . rust-mode))

(let ((cmd (append (json-parse-string (getenv "RC_CMD") :array-type 'list) nil)))
  (add-to-list 'eglot-server-programs
               `(rust-mode . (,@cmd :initializationOptions (:check (:command "check"))))))

;; Keep the published diagnostics as the server sent them (flymake needs a display).
(defvar rc-diagnostics nil)
(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql textDocument/publishDiagnostics)) &key uri diagnostics &allow-other-keys)
  (when (string-suffix-p (file-name-nondirectory (getenv "RC_FILE")) uri)
    (setq rc-diagnostics (append diagnostics nil))))

(setq eglot-sync-connect t
      eglot-autoshutdown t)
(find-file (getenv "RC_FILE"))
(unless (eq major-mode 'rust-mode)
  (rc-fail "major mode is %s, not rust-mode" major-mode))
(apply #'eglot (eglot--guess-contact))
(rc-wait "eglot to connect" (lambda () (eglot-current-server)))
(let ((server (eglot-current-server)))
  (rc-say "connected: %s" (plist-get (eglot--server-info server) :name))
  (rc-wait (concat "rustcoder diagnostic " (getenv "RC_CODE"))
           (lambda ()
             (cl-some (lambda (d) (equal (plist-get d :code) (getenv "RC_CODE"))) rc-diagnostics)))
  (dolist (d rc-diagnostics)
    (let ((start (plist-get (plist-get d :range) :start)))
      (rc-say "diagnostic %d:%d [%s] %s" (1+ (plist-get start :line))
              (1+ (plist-get start :character)) (plist-get d :code)
              (car (split-string (plist-get d :message) "\n")))))
  (let* ((target (cl-find-if (lambda (d) (equal (plist-get d :code) (getenv "RC_CODE")))
                             rc-diagnostics))
         (tick (buffer-modified-tick))
         actions chosen)
    (goto-char (eglot--lsp-position-to-point (plist-get (plist-get target :range) :start)))
    ;; Ask until the server has ranked its candidates for the last check.
    (rc-wait "code actions"
             (lambda ()
               (setq actions (eglot-code-actions (point) (point) nil nil))
               (or actions (progn (sleep-for 0.2) nil))))
    (dolist (a actions)
      (rc-say "action offered: %s%s [%s]%s" (plist-get a :title)
              (if (plist-get a :isPreferred) " (preferred)" "")
              (plist-get a :kind) (if (plist-get a :edit) " with edit" "")))
    (setq chosen (cl-find-if (lambda (a) (eq (plist-get a :isPreferred) t)) actions))
    (unless chosen
      (rc-fail "no preferred action among %d" (length actions)))
    ;; What M-x eglot-code-actions does once an action is picked.
    (eglot--read-execute-code-action (list chosen) server "quickfix")
    (rc-wait "the edit" (lambda () (/= tick (buffer-modified-tick))))
    (rc-say "action applied: %s" (plist-get chosen :title))
    (unless (string-match-p (regexp-quote (getenv "RC_EXPECT")) (buffer-string))
      (rc-fail "buffer lacks %S after the fix:\n%s" (getenv "RC_EXPECT") (buffer-string)))
    (save-buffer)
    (rc-say "saved %s" (getenv "RC_FILE"))
    (rc-say "RESULT %s" (json-encode (list :title (plist-get chosen :title)
                                           :edit_inline (if (plist-get chosen :edit) t :json-false))))
    (eglot-shutdown server)
    (kill-emacs 0)))
