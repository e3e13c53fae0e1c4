// Shows the parameters of an implicit or hybrid response, which arrive in the fragment.
const params = new URLSearchParams(location.hash.slice(1));
document.querySelector("#fragment code").textContent = [...params].map(([k, v]) => `${k}=${v}`).join("\n") || "(empty)";
