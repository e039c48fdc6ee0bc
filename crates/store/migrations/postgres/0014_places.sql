-- Place names and addresses (地名地址) imported for the map and the address search: roads
-- (lines), communities, compounds and landmarks (points). `lon`/`lat` is a point on the
-- place (a road's middle), `geometry` its GeoJSON geometry.
CREATE TABLE places (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    area_code TEXT NOT NULL REFERENCES areas(code),
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    geometry TEXT NOT NULL
);
CREATE UNIQUE INDEX places_identity ON places(kind, name, area_code);
CREATE INDEX places_name ON places(name);
