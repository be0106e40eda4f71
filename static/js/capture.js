// Guided photo capture (templates/patients/photo_capture.html): the camera's picture with the
// previous photo of the chosen view faintly over it, and centre and eye lines, so that the new
// photo matches the old. Taking a photo puts it in the form's file input; the form saves it as
// any uploaded file. Without a camera or this script, the file input is the whole page.
(function () {
  "use strict";

  function setUp(form) {
    var box = form.querySelector("[data-capture]");
    var video = box.querySelector("[data-capture-video]");
    var ghost = box.querySelector("[data-capture-ghost]");
    var review = box.querySelector("[data-capture-review]");
    var status = box.querySelector("[data-capture-status]");
    var opacity = box.querySelector("[data-capture-opacity]");
    var start = box.querySelector("[data-capture-start]");
    var take = box.querySelector("[data-capture-take]");
    var retake = box.querySelector("[data-capture-retake]");
    var view = form.querySelector("select[name=view]");
    var area = form.querySelector("select[name=area]");
    var file = form.querySelector("input[type=file][name=image]");
    var ghosts = document.querySelectorAll("[data-ghosts] li");

    function showGhost() {
      var found = null;
      ghosts.forEach(function (item) {
        if (item.dataset.view === view.value && item.dataset.area === area.value) {
          found = item;
        }
      });
      if (found) {
        ghost.src = found.dataset.src;
        ghost.hidden = false;
        ghost.alt = "";
        opacity.disabled = false;
        status.textContent = "Line up with the photo of " + found.dataset.taken + ".";
      } else {
        ghost.hidden = true;
        opacity.disabled = true;
        status.textContent = "No earlier photo of this view: centre the face on the lines.";
      }
      ghost.style.opacity = String(Number(opacity.value) / 100);
    }

    function live() {
      review.hidden = true;
      video.hidden = false;
      retake.hidden = true;
      take.disabled = false;
      showGhost();
    }

    start.addEventListener("click", function () {
      navigator.mediaDevices
        .getUserMedia({ video: { width: { ideal: 1920 }, height: { ideal: 1440 } }, audio: false })
        .then(function (stream) {
          video.srcObject = stream;
          return video.play();
        })
        .then(function () {
          start.hidden = true;
          live();
        })
        .catch(function (error) {
          status.textContent = "The camera could not start (" + error.name + "): choose a file instead.";
        });
    });

    take.addEventListener("click", function () {
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(
        function (blob) {
          var transfer = new DataTransfer();
          transfer.items.add(new File([blob], view.value + ".jpg", { type: "image/jpeg" }));
          file.files = transfer.files;
          // The Content Security Policy lets images come from data: URLs, not blob: ones.
          review.src = canvas.toDataURL("image/jpeg", 0.92);
          review.hidden = false;
          video.hidden = true;
          ghost.hidden = true;
          take.disabled = true;
          retake.hidden = false;
          status.textContent = "Photo taken: review it, then save it or retake it.";
        },
        "image/jpeg",
        0.92
      );
    });

    retake.addEventListener("click", function () {
      file.value = "";
      live();
    });
    opacity.addEventListener("input", showGhost);
    view.addEventListener("change", showGhost);
    area.addEventListener("change", showGhost);

    if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      box.hidden = false;
      showGhost();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-capture-form]").forEach(setUp);
  });
})();
