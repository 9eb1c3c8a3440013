-- A product's change policy grows a weekly maintenance schedule (JSON: [{"day": "sat", "start": "22:00",
-- "end": "02:00", "zone": "Europe/Berlin"}]); a change window outside it is a conflict. A role of
-- change_roles may be {"role": "Security", "only_for": ["security"]}: needed only by changes tagged so.
ALTER TABLE product ADD COLUMN maintenance TEXT NOT NULL DEFAULT '[]';

-- The authors of the commits a change ships, as its last draft read them from git: segregation of duties
-- checks them on any laptop, with or without the repository.
ALTER TABLE change_request ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
